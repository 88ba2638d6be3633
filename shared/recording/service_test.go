package recording

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"woodshed/shared/valid"
)

// The pipeline's rules tested over in-memory ports; the same flows run against DynamoDB Local and
// the local S3 in shared/app.

type memChunks struct {
	mu     sync.Mutex
	items  map[ChunkRef]Chunk
	failOn string // "save": SaveResult fails (transiently)
}

func (m *memChunks) RequestChunk(_ context.Context, c Chunk) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.items[c.Ref()]; ok && old.Status == StatusDone {
		return ErrAlreadyAnalyzed
	}
	m.items[c.Ref()] = c
	return nil
}

func (m *memChunks) GetChunk(_ context.Context, ref ChunkRef) (Chunk, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.items[ref]
	if !ok {
		return Chunk{}, ErrChunkNotFound
	}
	return c, nil
}

func (m *memChunks) SaveResult(_ context.Context, c Chunk) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failOn == "save" {
		return errors.New("throttled")
	}
	old, ok := m.items[c.Ref()]
	if !ok {
		return ErrChunkNotFound
	}
	if old.Status == StatusDone {
		return ErrAlreadyAnalyzed
	}
	m.items[c.Ref()] = c
	return nil
}

func (m *memChunks) MarkDeleted(_ context.Context, ref ChunkRef, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.items[ref]
	if !ok {
		return ErrChunkNotFound
	}
	if c.Recording.DeletedAt == nil {
		c.Recording.DeletedAt = &at
		m.items[ref] = c
	}
	return nil
}

func (m *memChunks) ListChunks(_ context.Context, user, session string) ([]Chunk, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Chunk
	for r, c := range m.items {
		if r.UserID == user && r.SessionID == session {
			out = append(out, c)
		}
	}
	return out, nil
}

type memSessions struct {
	mu       sync.Mutex
	sessions map[string]Session // user/session
	analysis map[string]SessionAnalysis
	writes   int
}

func (m *memSessions) Session(_ context.Context, user, id string) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[user+"/"+id]
	if !ok {
		return Session{}, ErrSessionNotFound
	}
	return s, nil
}

func (m *memSessions) SetAnalysis(_ context.Context, user, id string, a SessionAnalysis) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.analysis[user+"/"+id] = a
	m.writes++
	return nil
}

type memBlobs struct {
	mu      sync.Mutex
	objects map[string][]byte
	deletes int
}

func (m *memBlobs) PresignPut(_ context.Context, key, ct string, size int64, ttl time.Duration) (Upload, error) {
	return Upload{Method: "PUT", URL: "https://bucket.example/" + key, Headers: map[string]string{"Content-Type": ct},
		ExpiresAt: t0.Add(ttl)}, nil
}

func (m *memBlobs) Open(_ context.Context, key string) (Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.objects[key]
	if !ok {
		return Object{}, ErrObjectMissing
	}
	return Object{Body: io.NopCloser(bytes.NewReader(b)), Size: int64(len(b)), CreatedAt: t0}, nil
}

func (m *memBlobs) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objects, key)
	m.deletes++
	return nil
}

func (m *memBlobs) put(key string, b []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objects[key] = b
}

// textAnalyzer reads a tiny test format: "play <seconds> of <duration>", or "bad <code>", or "panic".
type textAnalyzer struct{}

func (textAnalyzer) Analyze(r io.Reader) (Result, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Result{}, err
	}
	var play, dur float64
	switch s := string(b); {
	case s == "panic":
		panic("odd file")
	case strings.HasPrefix(s, "bad "):
		return Result{DurationS: 3}, &AnalysisError{Code: strings.TrimPrefix(s, "bad "), Err: errors.New(s)}
	default:
		if _, err := fmt.Sscanf(s, "play %g of %g", &play, &dur); err != nil {
			return Result{}, &AnalysisError{Code: "not_wav", Err: err}
		}
	}
	return Result{DurationS: dur, PlayS: play, Segments: []Segment{{0, play}}}, nil
}

type rig struct {
	svc      *Service
	chunks   *memChunks
	sessions *memSessions
	blobs    *memBlobs
	now      time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{
		chunks:   &memChunks{items: map[ChunkRef]Chunk{}},
		sessions: &memSessions{sessions: map[string]Session{"u1/s1": {Recorded: true, Active: true}}, analysis: map[string]SessionAnalysis{}},
		blobs:    &memBlobs{objects: map[string][]byte{}},
		now:      t0,
	}
	r.svc = New(r.chunks, r.sessions, r.blobs, textAnalyzer{})
	r.svc.now = func() time.Time { return r.now }
	return r
}

// upload requests chunk i of u1/s1 and stores body under its key, as the browser would.
func (r *rig) upload(t *testing.T, i int, body string) ObjectEvent {
	t.Helper()
	g, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: i, ContentLength: 1000, ContentType: ContentType})
	if err != nil {
		t.Fatalf("request upload %d: %v", i, err)
	}
	ref := ChunkRef{"u1", "s1", i}
	key := ref.ObjectKey()
	if !strings.HasSuffix(g.Upload.URL, key) || g.AnalysisID != ref.AnalysisID() {
		t.Fatalf("grant %+v", g)
	}
	r.blobs.put(key, []byte(body))
	return ObjectEvent{Key: key, Size: int64(len(body)), At: r.now}
}

func (r *rig) view(t *testing.T, i int) View {
	t.Helper()
	v, err := r.svc.Analysis(context.Background(), "u1", ChunkRef{"u1", "s1", i}.AnalysisID())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestUploadValidation(t *testing.T) {
	r := newRig(t)
	_, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s/1", ChunkIndex: 720, ContentLength: 44, ContentType: "audio/mpeg"})
	var ve valid.Errors
	if !errors.As(err, &ve) || len(ve) != 4 {
		t.Fatalf("want 4 field errors, got %v", err)
	}
	_, err = r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ContentLength: MaxChunkBytes + 1, ContentType: ContentType})
	if !errors.As(err, &ve) || ve[0].Field != "content_length" {
		t.Fatalf("oversized: %v", err)
	}
	_, err = r.svc.RequestUpload(context.Background(), "u2", UploadRequest{SessionID: "s1", ContentLength: 100, ContentType: ContentType})
	if !errors.Is(err, ErrSessionNotFound) {
		t.Fatalf("someone else's session: %v", err)
	}
}

func TestUploadLeadValidation(t *testing.T) {
	r := newRig(t)
	for _, c := range []struct {
		index int
		lead  float64
	}{{0, 8}, {1, -1}, {1, MaxLeadS + 0.5}} {
		_, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: c.index, ContentLength: 100, ContentType: ContentType, LeadS: c.lead})
		var ve valid.Errors
		if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "lead_s" {
			t.Errorf("chunk %d with a lead of %v s: %v, want a lead_s error", c.index, c.lead, err)
		}
	}
}

// A chunk's own play time leaves out its lead; the session counts the lead's second half.
func TestChunkWithALead(t *testing.T) {
	r := newRig(t)
	ev0 := r.upload(t, 0, "play 60 of 60")
	g, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: 1, ContentLength: 1000, ContentType: ContentType, LeadS: 8})
	if err != nil {
		t.Fatal(err)
	}
	key := ChunkRef{"u1", "s1", 1}.ObjectKey()
	r.blobs.put(key, []byte("play 18 of 68")) // playing through the lead and 10 s past the boundary
	for _, ev := range []ObjectEvent{{Key: key, Size: 13, At: r.now}, ev0} {
		if err := r.svc.HandleObject(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if v := r.view(t, 1); v.AnalysisID != g.AnalysisID || v.PlaySeconds != 10 || v.LeadS != 8 {
		t.Fatalf("chunk 1 %+v, want 10 s of its own and its 8 s lead", v)
	}
	a := r.sessions.analysis["u1/s1"]
	if want := (Segment{0, 70}); a.PlaySeconds != 70 || len(a.Timeline) != 1 || a.Timeline[0] != want {
		t.Fatalf("analysis %+v, want 70 s in one stretch", a)
	}
}

func TestUploadAfterStopOnlyWithinGrace(t *testing.T) {
	r := newRig(t)
	ended := t0
	r.sessions.sessions["u1/s1"] = Session{Recorded: true, EndedAt: &ended}
	r.now = t0.Add(UploadGrace - time.Second)
	r.upload(t, 0, "play 1 of 2")
	r.now = t0.Add(UploadGrace + time.Second)
	_, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: 1, ContentLength: 100, ContentType: ContentType})
	if !errors.Is(err, ErrSessionClosed) {
		t.Fatalf("after the grace window: %v", err)
	}
}

func TestEventAnalysesStoresDeletesAndSettles(t *testing.T) {
	r := newRig(t)
	ev := r.upload(t, 0, "play 40 of 60")
	if err := r.svc.HandleObject(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	v := r.view(t, 0)
	if v.Status != StatusDone || v.PlaySeconds != 40 || v.Recording.DeletedAt == nil || v.Recording.CreatedAt == nil || v.Recording.Size != 13 {
		t.Fatalf("view %+v", v)
	}
	if _, ok := r.blobs.objects[ev.Key]; ok {
		t.Fatal("object not deleted")
	}
	if a := r.sessions.analysis["u1/s1"]; a.PlaySeconds != 40 || !a.Complete || a.Ended || a.Analysed != 1 {
		t.Fatalf("session analysis %+v (still active: not done)", a)
	}
	// A replay changes nothing and deletes again (harmless).
	deletedAt := *v.Recording.DeletedAt
	r.now = r.now.Add(time.Minute)
	if err := r.svc.HandleObject(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if v2 := r.view(t, 0); !v2.Recording.DeletedAt.Equal(deletedAt) || v2.PlaySeconds != 40 {
		t.Fatalf("replay changed the chunk: %+v", v2)
	}
	if a := r.sessions.analysis["u1/s1"]; a.PlaySeconds != 40 {
		t.Fatalf("replay changed the session: %+v", a)
	}
}

func TestBadFilesFailTheChunkAndAreDeleted(t *testing.T) {
	for _, c := range []struct{ body, code string }{
		{"not a wav at all", "not_wav"},
		{"bad truncated", "truncated"},
		{"bad unsupported_format", "unsupported_format"},
		{"bad empty", "empty"},
		{"panic", CodeAnalysisFailed},
	} {
		t.Run(c.code, func(t *testing.T) {
			r := newRig(t)
			ev := r.upload(t, 0, c.body)
			if err := r.svc.HandleObject(context.Background(), ev); err != nil {
				t.Fatalf("a bad file must not be retried: %v", err)
			}
			v := r.view(t, 0)
			if v.Status != StatusFailed || v.Error == nil || v.Error.Code != c.code || v.PlaySeconds != 0 || v.Recording.DeletedAt == nil {
				t.Fatalf("view %+v", v)
			}
			if len(r.blobs.objects) != 0 {
				t.Fatal("object not deleted")
			}
		})
	}
}

func TestOversizedObjectIsNotRead(t *testing.T) {
	r := newRig(t)
	ev := r.upload(t, 0, "play 1 of 1")
	ev.Size = MaxChunkBytes + 1 // as the event reports it
	if err := r.svc.HandleObject(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if v := r.view(t, 0); v.Status != StatusFailed || v.Error.Code != CodeTooLarge || len(r.blobs.objects) != 0 {
		t.Fatalf("view %+v", v)
	}
}

func TestStreamLongerThanLimitIsTooLarge(t *testing.T) {
	lr := &limitReader{r: strings.NewReader("abcdef"), n: 4}
	b, err := io.ReadAll(lr)
	if string(b) != "abcd" || !lr.over || codeOf(err) != CodeTooLarge {
		t.Fatalf("read %q, over %v, err %v", b, lr.over, err)
	}
	exact := &limitReader{r: strings.NewReader("abcd"), n: 4}
	if b, err := io.ReadAll(exact); string(b) != "abcd" || err != nil || exact.over {
		t.Fatalf("exact length: %q %v", b, err)
	}
}

func TestKeysOutsideTheLayoutAreDeleted(t *testing.T) {
	r := newRig(t)
	for _, key := range []string{"recordings/u1/s1/evil.wav", "recordings/u1/s1/00003.wav"} {
		r.blobs.put(key, []byte("play 1 of 1"))
		if err := r.svc.HandleObject(context.Background(), ObjectEvent{Key: key, Size: 11, At: t0}); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	if len(r.blobs.objects) != 0 || len(r.chunks.items) != 0 {
		t.Fatalf("left %v, made %v", r.blobs.objects, r.chunks.items)
	}
}

func TestReorderedChunksGiveTheSameTimeline(t *testing.T) {
	r := newRig(t)
	evs := []ObjectEvent{r.upload(t, 0, "play 10 of 60"), r.upload(t, 1, "play 20 of 60"), r.upload(t, 2, "play 5 of 30")}
	for _, i := range []int{2, 0, 1} {
		if err := r.svc.HandleObject(context.Background(), evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	a := r.sessions.analysis["u1/s1"]
	want := []Segment{{0, 10}, {60, 80}, {120, 125}}
	if a.PlaySeconds != 35 || len(a.Timeline) != 3 || a.Timeline[1] != want[1] || a.Timeline[2] != want[2] {
		t.Fatalf("analysis %+v, want 35 s and %v", a, want)
	}
}

func TestSessionDoneWhenEndedAndEveryChunkSettled(t *testing.T) {
	r := newRig(t)
	ev0, ev1 := r.upload(t, 0, "play 10 of 60"), r.upload(t, 1, "bad truncated")
	ended := t0
	r.sessions.sessions["u1/s1"] = Session{Recorded: true, EndedAt: &ended}
	if err := r.svc.HandleObject(context.Background(), ev0); err != nil {
		t.Fatal(err)
	}
	if a := r.sessions.analysis["u1/s1"]; a.Complete || !a.Ended {
		t.Fatalf("complete while chunk 1 is pending: %+v", a)
	}
	if err := r.svc.HandleObject(context.Background(), ev1); err != nil {
		t.Fatal(err)
	}
	if a := r.sessions.analysis["u1/s1"]; !a.Complete || !a.Ended || a.PlaySeconds != 10 || a.Analysed != 1 {
		t.Fatalf("analysis %+v", a)
	}
}

func TestTransientStoreFailureStillDeletes(t *testing.T) {
	r := newRig(t)
	ev := r.upload(t, 0, "play 1 of 1")
	r.chunks.failOn = "save"
	if err := r.svc.HandleObject(context.Background(), ev); err == nil {
		t.Fatal("a store failure must be reported for a retry")
	}
	if len(r.blobs.objects) != 0 {
		t.Fatal("object kept after a store failure")
	}
	// The retry finds the object gone and the chunk pending: it says so instead of waiting forever.
	r.chunks.failOn = ""
	if err := r.svc.HandleObject(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if v := r.view(t, 0); v.Status != StatusFailed || v.Error.Code != CodeRecordingMissing {
		t.Fatalf("view %+v", v)
	}
	// Uploading again starts over and succeeds.
	ev = r.upload(t, 0, "play 1 of 1")
	if err := r.svc.HandleObject(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if v := r.view(t, 0); v.Status != StatusDone || v.Recording.DeletedAt == nil {
		t.Fatalf("view %+v", v)
	}
}

func TestDoneChunkCannotBeUploadedAgain(t *testing.T) {
	r := newRig(t)
	if err := r.svc.HandleObject(context.Background(), r.upload(t, 0, "play 1 of 1")); err != nil {
		t.Fatal(err)
	}
	_, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: 0, ContentLength: 100, ContentType: ContentType})
	if !errors.Is(err, ErrAlreadyAnalyzed) {
		t.Fatalf("got %v", err)
	}
}

func TestStaleEventDoesNotFailANewUpload(t *testing.T) {
	r := newRig(t)
	old := r.upload(t, 0, "bad not_wav")
	if err := r.svc.HandleObject(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	r.now = r.now.Add(time.Minute)
	if _, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: 0, ContentLength: 100, ContentType: ContentType}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.HandleObject(context.Background(), old); err != nil { // a late duplicate
		t.Fatal(err)
	}
	if v := r.view(t, 0); v.Status != StatusPending || v.Error != nil {
		t.Fatalf("a stale duplicate changed the new upload: %+v", v)
	}
}

func TestReanalyze(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	id := ChunkRef{"u1", "s1", 0}.AnalysisID()
	r.upload(t, 0, "play 7 of 60") // uploaded, but its event never came
	v, err := r.svc.Reanalyze(ctx, "u1", id)
	if err != nil || v.Status != StatusDone || v.PlaySeconds != 7 || len(r.blobs.objects) != 0 || v.Recording.DeletedAt == nil {
		t.Fatalf("reanalyze: %+v, %v", v, err)
	}
	if _, err := r.svc.Reanalyze(ctx, "u1", id); !errors.Is(err, ErrAlreadyAnalyzed) {
		t.Fatalf("second time: %v", err)
	}
	if _, err := r.svc.Reanalyze(ctx, "u2", id); !errors.Is(err, ErrChunkNotFound) {
		t.Fatalf("someone else's: %v", err)
	}
	if _, err := r.svc.Reanalyze(ctx, "u1", "nope"); !errors.Is(err, ErrChunkNotFound) {
		t.Fatalf("malformed id: %v", err)
	}

	// Requested, never uploaded: 409 while the link works, then settled as not_uploaded.
	if _, err := r.svc.RequestUpload(ctx, "u1", UploadRequest{SessionID: "s1", ChunkIndex: 1, ContentLength: 100, ContentType: ContentType}); err != nil {
		t.Fatal(err)
	}
	id1 := ChunkRef{"u1", "s1", 1}.AnalysisID()
	if _, err := r.svc.Reanalyze(ctx, "u1", id1); !errors.Is(err, ErrNotUploaded) {
		t.Fatalf("not uploaded yet: %v", err)
	}
	r.now = r.now.Add(UploadTTL + time.Second)
	if v, err := r.svc.Reanalyze(ctx, "u1", id1); err != nil || v.Status != StatusFailed || v.Error.Code != CodeNotUploaded {
		t.Fatalf("expired: %+v, %v", v, err)
	}
	if _, err := r.svc.Reanalyze(ctx, "u1", id1); !errors.Is(err, ErrRecordingMissing) {
		t.Fatalf("failed and gone: %v", err)
	}
}

func TestTimerSessionTakesNoUploads(t *testing.T) {
	r := newRig(t)
	r.sessions.sessions["u1/s2"] = Session{Active: true}
	_, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s2", ContentLength: 100, ContentType: ContentType})
	if !errors.Is(err, ErrNotRecorded) {
		t.Fatalf("got %v", err)
	}
}

func TestSettleOfAnEndedSessionWithoutChunks(t *testing.T) {
	r := newRig(t)
	ended := t0
	r.sessions.sessions["u1/s1"] = Session{Recorded: true, EndedAt: &ended}
	// The only chunk of a short recording is sent after the stop: nothing to settle yet.
	r.now = t0.Add(Closed - time.Second)
	if err := r.svc.Settle(context.Background(), "u1", "s1"); err != nil || r.sessions.writes != 0 {
		t.Fatalf("settled a session without chunks: %v, %d writes", err, r.sessions.writes)
	}
	// Once no link can be given or used any more, the wait is over: done, without analysis.
	r.now = t0.Add(Closed + time.Second)
	if err := r.svc.Settle(context.Background(), "u1", "s1"); err != nil || r.sessions.writes != 1 {
		t.Fatalf("settle after the uploads closed: %v, %d writes", err, r.sessions.writes)
	}
	if a := r.sessions.analysis["u1/s1"]; !a.Complete || !a.Ended || a.Analysed != 0 || a.PlaySeconds != 0 {
		t.Errorf("analysis %+v, want complete and ended with nothing analysed", a)
	}
}

func TestSettleOfAnAbandonedLastChunk(t *testing.T) {
	r := newRig(t)
	ev := r.upload(t, 0, "play 5 of 10")
	if err := r.svc.HandleObject(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	// Chunk 1's link is taken just before the stop and never used.
	if _, err := r.svc.RequestUpload(context.Background(), "u1", UploadRequest{SessionID: "s1", ChunkIndex: 1, ContentLength: 100, ContentType: ContentType}); err != nil {
		t.Fatal(err)
	}
	ended := t0
	r.sessions.sessions["u1/s1"] = Session{Recorded: true, EndedAt: &ended}
	if err := r.svc.Settle(context.Background(), "u1", "s1"); err != nil {
		t.Fatal(err)
	}
	if a := r.sessions.analysis["u1/s1"]; a.Complete {
		t.Fatalf("complete while chunk 1 may still come: %+v", a)
	}
	r.now = t0.Add(Closed + time.Second)
	if err := r.svc.Settle(context.Background(), "u1", "s1"); err != nil {
		t.Fatal(err)
	}
	if a := r.sessions.analysis["u1/s1"]; !a.Complete || a.Analysed != 1 || a.PlaySeconds != 5 {
		t.Errorf("analysis %+v, want complete with chunk 0's 5 s", a)
	}
}
