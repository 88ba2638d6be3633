package pipelinetest

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/practice"
	"woodshed/shared/recording"
	"woodshed/shared/store"
)

func TestMain(m *testing.M) { Main(m) }

const waitFor = 60 * time.Second

type fixture struct {
	h       *Harness
	ctx     context.Context
	user    string
	session string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	h := New(t)
	ctx := context.Background()
	user := NewID()
	session, err := h.StartSession(ctx, user, time.Now().Add(-3*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{h: h, ctx: ctx, user: user, session: session}
}

func (f *fixture) key(index int) string {
	return recording.ChunkRef{UserID: f.user, SessionID: f.session, Index: index}.ObjectKey()
}

// upload requests a link for chunk index, PUTs wav to it and returns the grant.
func (f *fixture) upload(t *testing.T, index int, wav []byte) Grant {
	return f.uploadLead(t, index, wav, 0)
}

func (f *fixture) uploadLead(t *testing.T, index int, wav []byte, lead float64) Grant {
	t.Helper()
	g, resp, err := f.h.RequestUploadLead(f.ctx, f.user, f.session, index, int64(len(wav)), lead)
	if err != nil || resp.Status != http.StatusCreated {
		t.Fatalf("upload-audio: %d %s %v", resp.Status, resp.Raw, err)
	}
	if status, err := Put(f.ctx, g, wav, nil); err != nil || status != http.StatusOK {
		t.Fatalf("PUT to the presigned URL: %d %v", status, err)
	}
	return g
}

// uploadAndWait uploads and waits for the analyzer to be done with it.
func (f *fixture) uploadAndWait(t *testing.T, index int, wav []byte) map[string]any {
	t.Helper()
	done := f.h.Expect(f.key(index))
	g := f.upload(t, index, wav)
	if err := Wait(done, waitFor); err != nil {
		t.Fatalf("analyzer: %v", err)
	}
	return f.analysis(t, g.AnalysisID)
}

func (f *fixture) analysis(t *testing.T, id string) map[string]any {
	t.Helper()
	resp, err := f.h.Analysis(f.ctx, f.user, id)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("GET analysis %s: %d %s %v", id, resp.Status, resp.Raw, err)
	}
	return resp.Body
}

func (f *fixture) gone(t *testing.T, key string) {
	t.Helper()
	if ok, err := f.h.ObjectExists(f.ctx, key); err != nil || ok {
		t.Fatalf("object %s still in the bucket (%v)", key, err)
	}
}

func (f *fixture) sessionNow(t *testing.T) practice.Session {
	t.Helper()
	s, err := f.h.Store.Session(f.ctx, f.user, f.session)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fixture) end(t *testing.T) {
	t.Helper()
	if _, err := f.h.Store.EndSession(f.ctx, f.user, f.session, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
}

func num(v any) float64 { n, _ := v.(float64); return n }

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestUploadEventAnalysisAndSessionPlayTime(t *testing.T) {
	f := newFixture(t)
	wav0 := PlayingWAV(60, 10, 40)
	a := f.uploadAndWait(t, 0, wav0)
	if a["status"] != "done" || !near(num(a["play_seconds"]), 30, 3) || a["analysis_id"] != f.session+".0" || num(a["chunk_index"]) != 0 {
		t.Fatalf("analysis %v", a)
	}
	rec := a["recording"].(map[string]any)
	if num(rec["size"]) != float64(len(wav0)) || rec["created_at"] == nil || rec["deleted_at"] == nil {
		t.Fatalf("recording %v", rec)
	}
	segs := a["segments"].([]any)
	if len(segs) == 0 || !near(num(segs[0].(map[string]any)["start_s"]), 10, 1.5) {
		t.Fatalf("segments %v", segs)
	}
	f.gone(t, f.key(0))
	if s := f.sessionNow(t); s.Status != practice.Active || s.ActualPlaySeconds != nil {
		t.Fatalf("session while recording: %+v", s)
	}

	// Stop, then the last chunk comes (within the grace window) and the session is done.
	f.end(t)
	f.uploadAndWait(t, 1, PlayingWAV(30, 0, 30))
	f.gone(t, f.key(1))
	s := f.sessionNow(t)
	if s.Status != practice.Done || s.ActualPlaySeconds == nil || !near(float64(*s.ActualPlaySeconds), 60, 5) {
		t.Fatalf("session after the last chunk: %+v", s)
	}
	// The last chunk's playing starts where chunk 0 (60 s) ends, joined with its tail if any.
	last := s.Timeline[len(s.Timeline)-1]
	if !near(last.EndS, 90, 1.5) || len(s.Timeline) > 2 {
		t.Fatalf("timeline %v", s.Timeline)
	}
	tot, err := f.h.Store.Totals(f.ctx, f.user)
	if err != nil || tot.PracticeSeconds != *s.ActualPlaySeconds || tot.Sessions != 1 {
		t.Fatalf("totals %+v (play %d), %v", tot, *s.ActualPlaySeconds, err)
	}
}

// A chunk that repeats the last 8 s of the one before counts that stretch once.
func TestChunkLeadCountsOnce(t *testing.T) {
	f := newFixture(t)
	f.uploadAndWait(t, 0, PlayingWAV(60, 0, 60))
	done := f.h.Expect(f.key(1))
	g := f.uploadLead(t, 1, PlayingWAV(38, 0, 38), 8)
	if err := Wait(done, waitFor); err != nil {
		t.Fatalf("analyzer: %v", err)
	}
	a := f.analysis(t, g.AnalysisID)
	if a["status"] != "done" || num(a["lead_s"]) != 8 || !near(num(a["play_seconds"]), 30, 2) {
		t.Fatalf("chunk 1: %v, want its own 30 s", a)
	}
	resp, err := f.h.Call(f.ctx, "practice-end", f.user, map[string]string{"session_id": f.session}, nil)
	if err != nil || resp.Status != http.StatusOK || resp.Body["status"] != "done" || !near(num(resp.Body["actual_play_seconds"]), 90, 3) {
		t.Fatalf("practice-end: %s %v, want about 90 s", resp.Raw, err)
	}
	if s := f.sessionNow(t); len(s.Timeline) != 1 || !near(s.Timeline[0].EndS, 90, 1.5) {
		t.Fatalf("timeline %v, want one stretch to 90 s", s.Timeline)
	}
}

func TestBadFilesFailTheirChunk(t *testing.T) {
	for _, c := range []struct {
		name string
		wav  []byte
		code string
	}{
		{"not wav", NotWAV, "not_wav"},
		{"truncated", Truncated(), "truncated"},
		{"empty", Empty, "empty"},
		{"12-bit", TwelveBit, "unsupported_format"},
		{"adpcm", ADPCM, "unsupported_format"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.uploadAndWait(t, 0, c.wav)
			if a["status"] != "failed" || errorCode(a) != c.code || num(a["play_seconds"]) != 0 {
				t.Fatalf("analysis %v, want failed %s", a, c.code)
			}
			if rec := a["recording"].(map[string]any); rec["deleted_at"] == nil || num(rec["size"]) != float64(len(c.wav)) {
				t.Fatalf("recording %v", rec)
			}
			f.gone(t, f.key(0))
			// The session ends with nothing analysed: it counts its duration.
			f.end(t)
			if err := f.h.App.SettleSession(f.ctx, f.user, f.session); err != nil {
				t.Fatal(err)
			}
			if s := f.sessionNow(t); s.Status != practice.Done || s.ActualPlaySeconds != nil {
				t.Fatalf("session %+v", s)
			}
		})
	}
}

func TestOversizedObjectFails(t *testing.T) {
	f := newFixture(t)
	// A presigned PUT cannot send more than it signed; the analyzer still refuses an object over
	// the limit (put with the service's own credentials here) without reading it.
	if _, resp, _ := f.h.RequestUpload(f.ctx, f.user, f.session, 0, 1000); resp.Status != http.StatusCreated {
		t.Fatalf("upload-audio: %d %s", resp.Status, resp.Raw)
	}
	big := make([]byte, recording.MaxChunkBytes+1)
	done := f.h.Expect(f.key(0))
	if err := f.h.Blobs.Put(f.ctx, f.h.Cfg.RecordingsBucket, f.key(0), "audio/wav", strings.NewReader(string(big)), int64(len(big))); err != nil {
		t.Fatal(err)
	}
	if err := Wait(done, waitFor); err != nil {
		t.Fatal(err)
	}
	if a := f.analysis(t, f.session+".0"); a["status"] != "failed" || errorCode(a) != "too_large" {
		t.Fatalf("analysis %v", a)
	}
	f.gone(t, f.key(0))
}

func TestReplayedEventCountsOnce(t *testing.T) {
	f := newFixture(t)
	held := f.h.Hold(f.user)
	f.end(t)
	f.upload(t, 0, PlayingWAV(60, 0, 45))
	ev := <-held
	for range 3 {
		if err := f.h.Analyze(f.ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	s := f.sessionNow(t)
	tot, err := f.h.Store.Totals(f.ctx, f.user)
	if err != nil || s.Status != practice.Done || s.ActualPlaySeconds == nil || tot.PracticeSeconds != *s.ActualPlaySeconds || tot.Sessions != 1 {
		t.Fatalf("session %+v, totals %+v, %v", s, tot, err)
	}
	days, err := f.h.Store.Days(f.ctx, f.user, "", "9999-12-31")
	if err != nil || len(days) != 1 || days[0].PracticeSeconds != *s.ActualPlaySeconds {
		t.Fatalf("days %+v, %v", days, err)
	}
	f.gone(t, f.key(0))
}

func TestReorderedChunks(t *testing.T) {
	f := newFixture(t)
	held := f.h.Hold(f.user)
	f.upload(t, 0, PlayingWAV(60, 0, 20))
	ev0 := <-held
	f.upload(t, 1, PlayingWAV(60, 0, 20))
	ev1 := <-held
	// Chunk 1 first: it is stored and placed after a chunk of typical length.
	if err := f.h.Analyze(f.ctx, ev1); err != nil {
		t.Fatal(err)
	}
	if a := f.analysis(t, f.session+".1"); a["status"] != "done" {
		t.Fatalf("chunk 1: %v", a)
	}
	if err := f.h.Analyze(f.ctx, ev0); err != nil {
		t.Fatal(err)
	}
	f.end(t)
	if err := f.h.App.SettleSession(f.ctx, f.user, f.session); err != nil {
		t.Fatal(err)
	}
	s := f.sessionNow(t)
	if s.Status != practice.Done || len(s.Timeline) != 2 || !near(s.Timeline[0].StartS, 0, 1) || !near(s.Timeline[1].StartS, 60, 1) {
		t.Fatalf("session %+v", s)
	}
	if !near(float64(*s.ActualPlaySeconds), 40, 4) {
		t.Fatalf("play %d, want about 40", *s.ActualPlaySeconds)
	}
	f.gone(t, f.key(0))
	f.gone(t, f.key(1))
}

func TestSomeoneElsesSessionAndAnalysis(t *testing.T) {
	f := newFixture(t)
	stranger := NewID()
	if _, resp, err := f.h.RequestUpload(f.ctx, stranger, f.session, 0, 1000); err != nil || resp.Status != http.StatusNotFound {
		t.Fatalf("upload to another's session: %d %s %v", resp.Status, resp.Raw, err)
	}
	g := f.upload(t, 0, PlayingWAV(5, 0, 5))
	for _, fn := range []func() (Response, error){
		func() (Response, error) { return f.h.Analysis(f.ctx, stranger, g.AnalysisID) },
		func() (Response, error) {
			return f.h.Call(f.ctx, "practice-analyze-audio", stranger, map[string]string{"analysis_id": g.AnalysisID}, nil)
		},
	} {
		if resp, err := fn(); err != nil || resp.Status != http.StatusNotFound {
			t.Fatalf("another's analysis: %d %s %v", resp.Status, resp.Raw, err)
		}
	}
}

func TestPresignRequestValidation(t *testing.T) {
	f := newFixture(t)
	for _, body := range []map[string]any{
		{"session_id": f.session, "chunk_index": 0, "content_length": 1000, "content_type": "audio/mpeg"},
		{"session_id": f.session, "chunk_index": 0, "content_length": 44, "content_type": "audio/wav"},
		{"session_id": f.session, "chunk_index": 0, "content_length": recording.MaxChunkBytes + 1, "content_type": "audio/wav"},
		{"session_id": f.session, "chunk_index": 720, "content_length": 1000, "content_type": "audio/wav"},
		{"session_id": "../x", "chunk_index": 0, "content_length": 1000, "content_type": "audio/wav"},
		{"session_id": f.session, "chunk_index": 0, "content_length": 1000},
		{"session_id": f.session, "chunk_index": 0, "content_length": 1000, "content_type": "audio/wav", "lead_s": 8},
		{"session_id": f.session, "chunk_index": 1, "content_length": 1000, "content_type": "audio/wav", "lead_s": 60},
		{"session_id": f.session, "chunk_index": 1, "content_length": 1000, "content_type": "audio/wav", "lead_s": "8"},
	} {
		resp, err := f.h.Call(f.ctx, "practice-upload-audio", f.user, body, nil)
		if err != nil || resp.Status != http.StatusBadRequest || resp.ErrorCode() != "validation_failed" {
			t.Errorf("%v: %d %s %v", body, resp.Status, resp.Raw, err)
		}
	}
}

func TestPutMustMatchWhatWasSigned(t *testing.T) {
	f := newFixture(t)
	wav := PlayingWAV(5, 0, 5)
	g, resp, err := f.h.RequestUpload(f.ctx, f.user, f.session, 0, int64(len(wav)))
	if err != nil || resp.Status != http.StatusCreated || g.Upload.Method != "PUT" || g.Upload.Headers["Content-Type"] != "audio/wav" {
		t.Fatalf("upload-audio: %d %s %v", resp.Status, resp.Raw, err)
	}
	if d := time.Until(g.ExpiresAt); d < 14*time.Minute || d > 15*time.Minute {
		t.Fatalf("expires in %s, want 15 minutes", d)
	}
	if status, err := Put(f.ctx, g, wav, map[string]string{"Content-Type": "audio/mpeg"}); err != nil || status != http.StatusForbidden {
		t.Fatalf("other content type: %d %v", status, err)
	}
	if status, err := Put(f.ctx, g, append(wav, 0, 0), nil); err != nil || status != http.StatusForbidden {
		t.Fatalf("other length: %d %v", status, err)
	}
	if ok, err := f.h.ObjectExists(f.ctx, f.key(0)); err != nil || ok {
		t.Fatalf("a refused PUT stored the object (%v)", err)
	}
	if a := f.analysis(t, g.AnalysisID); a["status"] != "pending" {
		t.Fatalf("analysis %v", a)
	}
}

func TestKeysOutsideTheLayoutAreDeleted(t *testing.T) {
	h := New(t)
	ctx := context.Background()
	user := NewID()
	for _, key := range []string{
		"recordings/" + user + "/notes.wav",
		"recordings/" + user + "/s1/7.wav",
		"recordings/" + user + "/s1/00000.wav", // the layout, but nobody asked for this upload
	} {
		done := h.Expect(key)
		if err := h.Blobs.Put(ctx, h.Cfg.RecordingsBucket, key, "audio/wav", strings.NewReader("RIFF"), 4); err != nil {
			t.Fatal(err)
		}
		if err := Wait(done, waitFor); err != nil {
			t.Fatalf("%s: the analyzer must not ask for a retry: %v", key, err)
		}
		if ok, err := h.ObjectExists(ctx, key); err != nil || ok {
			t.Fatalf("%s still in the bucket (%v)", key, err)
		}
	}
}

func TestAnalyzeAudioRunsALostEvent(t *testing.T) {
	f := newFixture(t)
	held := f.h.Hold(f.user) // the notification is lost: nobody delivers it
	g := f.upload(t, 0, PlayingWAV(20, 0, 10))
	<-held
	resp, err := f.h.Call(f.ctx, "practice-analyze-audio", f.user, map[string]string{"analysis_id": g.AnalysisID}, nil)
	if err != nil || resp.Status != http.StatusOK || resp.Body["status"] != "done" || !near(num(resp.Body["play_seconds"]), 10, 2) {
		t.Fatalf("analyze-audio: %d %s %v", resp.Status, resp.Raw, err)
	}
	f.gone(t, f.key(0))
	resp, err = f.h.Call(f.ctx, "practice-analyze-audio", f.user, map[string]string{"analysis_id": g.AnalysisID}, nil)
	if err != nil || resp.Status != http.StatusConflict || resp.ErrorCode() != "already_analyzed" {
		t.Fatalf("second analyze-audio: %d %s %v", resp.Status, resp.Raw, err)
	}
	if _, r, err := f.h.RequestUpload(f.ctx, f.user, f.session, 0, 1000); err != nil || r.Status != http.StatusConflict || r.ErrorCode() != "already_analyzed" {
		t.Fatalf("a new upload link for a done chunk: %d %s %v", r.Status, r.Raw, err)
	}
}

// TestSampleEvent feeds events/s3/recording-created.json to the analyzer: its key names a user,
// a session and chunk 0, which the test creates, uploads to, and holds the live event of.
func TestSampleEvent(t *testing.T) {
	raw, err := os.ReadFile("../../events/s3/recording-created.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.S3Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ref, err := recording.ParseKey(ev.Records[0].S3.Object.URLDecodedKey)
	if err != nil || ev.Records[0].S3.Bucket.Name != New(t).Cfg.RecordingsBucket {
		t.Fatalf("sample: %+v, %v", ev.Records[0].S3, err)
	}
	h := New(t)
	ctx := context.Background()
	s, err := practice.Start(practice.StartInput{SessionID: ref.SessionID, UserID: ref.UserID, Instrument: "cello", TimeZone: "UTC", Analyze: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_ = h.Store.DeleteSession(ctx, ref.UserID, ref.SessionID) // from an earlier run against a persisted stack
	if err := h.Store.StartSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	f := &fixture{h: h, ctx: ctx, user: ref.UserID, session: ref.SessionID}
	held := h.Hold(ref.UserID)
	f.upload(t, ref.Index, PlayingWAV(8, 0, 8))
	<-held
	if err := h.Analyze(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if a := f.analysis(t, ref.AnalysisID()); a["status"] != "done" || !near(num(a["play_seconds"]), 8, 2) {
		t.Fatalf("analysis %v", a)
	}
	f.gone(t, ref.ObjectKey())
}

// TestConcurrentDuplicatedEvents delivers every chunk's notification twice, all at once, as
// parallel Lambda invocations would: the session ends up with each chunk counted once.
func TestConcurrentDuplicatedEvents(t *testing.T) {
	f := newFixture(t)
	held := f.h.Hold(f.user)
	f.end(t)
	var evs []events.S3Event
	for i := range 3 {
		f.upload(t, i, PlayingWAV(40, 0, 20))
		evs = append(evs, <-held)
	}
	errs := make(chan error, 2*len(evs))
	for _, ev := range append(evs, evs...) {
		go func() { errs <- f.h.Analyze(f.ctx, ev) }()
	}
	for range 2 * len(evs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var sum float64
	for i := range 3 {
		a := f.analysis(t, f.session+"."+strconv.Itoa(i))
		if a["status"] != "done" {
			t.Fatalf("chunk %d: %v", i, a)
		}
		sum += num(a["play_seconds"])
		f.gone(t, f.key(i))
	}
	s := f.sessionNow(t)
	tot, err := f.h.Store.Totals(f.ctx, f.user)
	if err != nil || s.Status != practice.Done || s.ActualPlaySeconds == nil || !near(float64(*s.ActualPlaySeconds), sum, 2) ||
		tot.PracticeSeconds != *s.ActualPlaySeconds || tot.Sessions != 1 || len(s.Timeline) != 3 {
		t.Fatalf("session %+v (chunks %.0f s), totals %+v, %v", s, sum, tot, err)
	}
}

func TestMalformedAnalysisID(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"x", f.session, f.session + ".01", f.session + ".720", "../" + f.session + ".0"} {
		if resp, err := f.h.Analysis(f.ctx, f.user, id); err != nil || resp.Status != http.StatusNotFound {
			t.Errorf("%q: %d %s %v", id, resp.Status, resp.Raw, err)
		}
	}
}

// TestLastChunkAfterTheStop: a session stopped before its only chunk was sent waits for it; the
// chunk arrives within the grace window and its play time counts.
func TestLastChunkAfterTheStop(t *testing.T) {
	f := newFixture(t)
	resp, err := f.h.Call(f.ctx, "practice-end", f.user, map[string]string{"session_id": f.session}, nil)
	if err != nil || resp.Status != http.StatusOK || resp.Body["status"] != "analyzing" {
		t.Fatalf("practice-end: %d %s %v", resp.Status, resp.Raw, err)
	}
	s := f.sessionNow(t)
	f.uploadAndWait(t, 0, PlayingWAV(60, 0, 25))
	s = f.sessionNow(t)
	tot, err := f.h.Store.Totals(f.ctx, f.user)
	if err != nil || s.ActualPlaySeconds == nil || !near(float64(*s.ActualPlaySeconds), 25, 3) || tot.PracticeSeconds != *s.ActualPlaySeconds || tot.Sessions != 1 {
		t.Fatalf("after the last chunk: %+v, totals %+v, %v", s, tot, err)
	}
}

// TestStopAfterEveryChunkWasAnalysed: no event comes after the stop, so practice-end settles the
// session itself and answers with its play time.
func TestStopAfterEveryChunkWasAnalysed(t *testing.T) {
	f := newFixture(t)
	f.uploadAndWait(t, 0, PlayingWAV(60, 20, 50))
	resp, err := f.h.Call(f.ctx, "practice-end", f.user, map[string]string{"session_id": f.session}, nil)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("practice-end: %d %s %v", resp.Status, resp.Raw, err)
	}
	if resp.Body["status"] != "done" || !near(num(resp.Body["actual_play_seconds"]), 30, 3) {
		t.Fatalf("practice-end: %s", resp.Raw)
	}
}

// TestRecordingNeverSent: a session stopped without any chunk, whose last chunk never comes. No
// event will settle it, so once no upload can arrive any more, reading it does.
func TestRecordingNeverSent(t *testing.T) {
	h := New(t)
	ctx, user := context.Background(), NewID()
	// Listing reads the user's time zone from the profile, so this user has an account.
	nick := "n" + user[:10]
	acct := store.Account{UserID: user, Email: nick + "@example.com", Nickname: nick, NicknameKey: nick,
		TimeZone: "Asia/Seoul", Visibility: "private", CreatedAt: time.Now().UTC()}
	if err := h.Store.ReserveNickname(ctx, nick, "t", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.CreateAccount(ctx, acct, "t", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.ConfirmAccount(ctx, user); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 2 {
		id, err := h.StartSession(ctx, user, time.Now().Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Store.EndSession(ctx, user, id, time.Now().Add(-recording.Closed-time.Minute), nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	resp, err := h.Call(ctx, "practice-get", user, nil, map[string]string{"session_id": ids[0]})
	if err != nil || resp.Status != http.StatusOK || resp.Body["status"] != "done" {
		t.Fatalf("practice-get: %d %s %v", resp.Status, resp.Raw, err)
	}
	list, err := h.Call(ctx, "practice-list", user, nil, nil)
	if err != nil || list.Status != http.StatusOK || strings.Count(list.Raw, `"status":"done"`) != 2 {
		t.Fatalf("practice-list: %d %s %v", list.Status, list.Raw, err)
	}
	tot, err := h.Store.Totals(ctx, user)
	if err != nil || tot.Sessions != 2 {
		t.Fatalf("totals %+v, %v: both sessions should count once they are done", tot, err)
	}

	// One stopped a minute ago still waits for its last chunk.
	id2, err := h.StartSession(ctx, user, time.Now().Add(-10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.EndSession(ctx, user, id2, time.Now().Add(-time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	resp, err = h.Call(ctx, "practice-get", user, nil, map[string]string{"session_id": id2})
	if err != nil || resp.Status != http.StatusOK || resp.Body["status"] != "analyzing" {
		t.Fatalf("practice-get of a fresh stop: %d %s %v", resp.Status, resp.Raw, err)
	}
}
