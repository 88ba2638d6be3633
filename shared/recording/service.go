package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"woodshed/shared/valid"
)

// Errors callers can test with errors.Is.
var (
	ErrSessionNotFound  = errors.New("session not found")
	ErrChunkNotFound    = errors.New("analysis not found")
	ErrAlreadyAnalyzed  = errors.New("this chunk is already analysed")
	ErrSessionClosed    = errors.New("the session takes no more recordings")
	ErrNotRecorded      = errors.New("the session was started without analysis of its audio")
	ErrNotUploaded      = errors.New("the chunk has not been uploaded yet")
	ErrRecordingMissing = errors.New("the recording is no longer stored; upload the chunk again")
	// ErrObjectMissing is what Blobs.Open returns for an object that is not (or no longer) there.
	ErrObjectMissing = errors.New("recording object not found")
)

// Chunks stores chunk items.
type Chunks interface {
	// RequestChunk creates the chunk item, or resets a pending or failed one for a new upload.
	// ErrAlreadyAnalyzed if it is done.
	RequestChunk(ctx context.Context, c Chunk) error
	// GetChunk reads one chunk; ErrChunkNotFound if there is none.
	GetChunk(ctx context.Context, ref ChunkRef) (Chunk, error)
	// SaveResult writes an analysis outcome: status, duration_s, play_s, segments, error,
	// analyzed_at and the recording's size and created_at (clearing deleted_at). ErrAlreadyAnalyzed
	// if the chunk became done meanwhile, ErrChunkNotFound if it is gone.
	SaveResult(ctx context.Context, c Chunk) error
	// MarkDeleted records when the object was deleted, unless a time is recorded already.
	MarkDeleted(ctx context.Context, ref ChunkRef, at time.Time) error
	// ListChunks reads every chunk of a session.
	ListChunks(ctx context.Context, userID, sessionID string) ([]Chunk, error)
}

// Session is what the pipeline needs to know of a practice session.
type Session struct {
	Recorded bool       // started with analysis of its audio
	Active   bool       // recording may be going on
	EndedAt  *time.Time // set once the session was stopped
}

// SessionAnalysis is a session's play time and timeline as its chunks give them.
type SessionAnalysis struct {
	PlaySeconds int
	Timeline    []Segment
	// Complete: no chunk is still to come, so once the session has ended the numbers are final.
	Complete bool
	// Analysed counts the chunks done. A complete analysis of none (every chunk failed, or none was
	// uploaded) has no play time to give: the session counts its duration instead.
	Analysed int
	// Ended: the session was stopped (as read when the analysis was computed).
	Ended bool
}

// Sessions reads practice sessions and records their analysis.
type Sessions interface {
	// Session reads the caller's session; ErrSessionNotFound if the user has no such session.
	Session(ctx context.Context, userID, sessionID string) (Session, error)
	// SetAnalysis stores the session's play time and timeline (absolute values, not increments) and
	// brings its aggregates in line; writing the same values twice changes nothing.
	SetAnalysis(ctx context.Context, userID, sessionID string, a SessionAnalysis) error
}

// Upload is a presigned upload for the browser.
type Upload struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
	// ExpiresAt is when the link stops working.
	ExpiresAt time.Time `json:"-"`
}

// Blobs is the recordings bucket.
type Blobs interface {
	// PresignPut signs a PUT of exactly size bytes of contentType to key, valid for ttl.
	PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (Upload, error)
	// Open streams an object; ErrObjectMissing if it is not there.
	Open(ctx context.Context, key string) (Object, error)
	// Delete removes an object; a missing object is no error.
	Delete(ctx context.Context, key string) error
}

// Object is an open object of the bucket: read Body, then close it.
type Object struct {
	Body      io.ReadCloser
	Size      int64
	CreatedAt time.Time
}

// Analyzer measures the playing in a WAV stream. Files it cannot analyse come back as an
// *AnalysisError naming the reason; a truncated file may come with what was read before the end.
type Analyzer interface {
	Analyze(r io.Reader) (Result, error)
}

// Service runs the pipeline: uploads, analyses, and the session summary.
type Service struct {
	chunks   Chunks
	sessions Sessions
	blobs    Blobs
	analyzer Analyzer
	now      func() time.Time
	log      *slog.Logger
}

// New builds the service over its ports.
func New(chunks Chunks, sessions Sessions, blobs Blobs, analyzer Analyzer) *Service {
	return &Service{chunks: chunks, sessions: sessions, blobs: blobs, analyzer: analyzer, now: time.Now, log: slog.Default()}
}

// UploadRequest is the body of POST /practice/upload-audio.
type UploadRequest struct {
	SessionID     string `json:"session_id"`
	ChunkIndex    int    `json:"chunk_index"`
	ContentLength int64  `json:"content_length"`
	ContentType   string `json:"content_type"`
	// LeadS: the chunk's first seconds repeat the end of the previous chunk (0: no lead).
	LeadS float64 `json:"lead_s"`
}

// UploadGrant is the answer: where to send the chunk, and the id to ask for its analysis.
type UploadGrant struct {
	AnalysisID string    `json:"analysis_id"`
	Upload     Upload    `json:"upload"`
	ExpiresAt  time.Time `json:"expires_at"`
}

func (in UploadRequest) validate() error {
	var ve valid.Errors
	switch {
	case in.SessionID == "":
		ve.Add("session_id", "is required")
	case !ValidID(in.SessionID):
		ve.Add("session_id", "is not a session id")
	}
	if in.ChunkIndex < 0 || in.ChunkIndex > MaxChunkIndex {
		ve.Add("chunk_index", fmt.Sprintf("must be between 0 and %d", MaxChunkIndex))
	}
	if in.ContentLength < MinChunkBytes || in.ContentLength > MaxChunkBytes {
		ve.Add("content_length", fmt.Sprintf("must be between %d and %d bytes", MinChunkBytes, MaxChunkBytes))
	}
	if in.ContentType != ContentType {
		ve.Add("content_type", "must be "+ContentType)
	}
	switch {
	case !(in.LeadS >= 0 && in.LeadS <= MaxLeadS):
		ve.Add("lead_s", fmt.Sprintf("must be between 0 and %d seconds", MaxLeadS))
	case in.LeadS > 0 && in.ChunkIndex == 0:
		ve.Add("lead_s", "must be 0 for the first chunk: nothing comes before it")
	}
	return ve.Err()
}

// RequestUpload signs an upload of one chunk of the caller's own session, while it records or
// shortly after it stopped (the last chunk is sent after Stop). Asking again for a chunk that is
// pending or failed gives a new link and resets it; a done chunk is final.
func (s *Service) RequestUpload(ctx context.Context, userID string, in UploadRequest) (UploadGrant, error) {
	if err := in.validate(); err != nil {
		return UploadGrant{}, err
	}
	sess, err := s.sessions.Session(ctx, userID, in.SessionID)
	if err != nil {
		return UploadGrant{}, fmt.Errorf("upload of %s: %w", in.SessionID, err)
	}
	if !sess.Recorded {
		return UploadGrant{}, fmt.Errorf("upload of %s: %w", in.SessionID, ErrNotRecorded)
	}
	now := s.now().UTC()
	if !sess.Active && (sess.EndedAt == nil || now.Sub(*sess.EndedAt) > UploadGrace) {
		return UploadGrant{}, fmt.Errorf("upload of %s: %w", in.SessionID, ErrSessionClosed)
	}
	ref := ChunkRef{UserID: userID, SessionID: in.SessionID, Index: in.ChunkIndex}
	up, err := s.blobs.PresignPut(ctx, ref.ObjectKey(), ContentType, in.ContentLength, UploadTTL)
	if err != nil {
		return UploadGrant{}, fmt.Errorf("upload of %s: %w", ref.AnalysisID(), err)
	}
	c := Chunk{
		UserID: userID, SessionID: in.SessionID, Index: in.ChunkIndex, LeadS: in.LeadS, Status: StatusPending,
		Recording:   File{Path: ref.ObjectKey(), DeclaredSize: in.ContentLength},
		RequestedAt: now, UploadExpiresAt: up.ExpiresAt,
	}
	if err := s.chunks.RequestChunk(ctx, c); err != nil {
		return UploadGrant{}, fmt.Errorf("upload of %s: %w", ref.AnalysisID(), err)
	}
	return UploadGrant{AnalysisID: ref.AnalysisID(), Upload: up, ExpiresAt: up.ExpiresAt}, nil
}

// Analysis reads one of the caller's analyses.
func (s *Service) Analysis(ctx context.Context, userID, analysisID string) (View, error) {
	ref, err := ParseAnalysisID(userID, analysisID)
	if err != nil {
		return View{}, fmt.Errorf("%w: %w", ErrChunkNotFound, err)
	}
	c, err := s.chunks.GetChunk(ctx, ref)
	if err != nil {
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, err)
	}
	return c.View(), nil
}

// ObjectEvent is one ObjectCreated notification of the recordings bucket.
type ObjectEvent struct {
	Key  string
	Size int64
	At   time.Time // when the object was created
}

// HandleObject analyses one uploaded object and deletes it, whatever happens.
//
// It returns nil for everything retrying cannot fix (a key outside the layout, an object nobody
// asked to upload, a bad file: the chunk is failed with a code), and an error only when a store
// call failed, so the event is retried to finish the bookkeeping. The object is deleted even then:
// no audio stays behind for a retry. The outcome is stored before the delete; when storing it
// fails, the chunk is marked failed (code internal) on a best-effort basis, a retry that finds the
// object gone and the chunk still pending marks it recording_missing, and the user uploads the
// chunk again. Duplicated and reordered events are harmless: a done chunk is never analysed
// again, and the session's totals are recomputed from all its chunks, never incremented.
func (s *Service) HandleObject(ctx context.Context, ev ObjectEvent) (err error) {
	log := s.log.With("key", ev.Key, "size", ev.Size)
	deleted := false
	defer func() {
		if !deleted {
			err = errors.Join(err, s.delete(ctx, ev.Key))
		}
	}()
	ref, err := ParseKey(ev.Key)
	if err != nil {
		log.Warn("refused an object outside the recordings layout; deleting it", "error", err.Error())
		return nil
	}
	c, err := s.chunks.GetChunk(ctx, ref)
	if errors.Is(err, ErrChunkNotFound) {
		log.Warn("no upload was requested for this object; deleting it")
		return nil
	}
	if err != nil {
		return fmt.Errorf("analyzer: %s: %w", ev.Key, err)
	}

	had := c.Recording.CreatedAt != nil && c.Recording.DeletedAt == nil // an object was seen, its delete not recorded
	var stored error
	if c.Status != StatusDone {
		obj, oerr := s.open(ctx, ev)
		switch {
		case errors.Is(oerr, ErrObjectMissing):
			// Gone already: a duplicate of an event handled before, or one older than the latest
			// upload request. Only an event for the current upload that finds nothing is a loss.
			if c.Status == StatusPending && !ev.At.Before(c.RequestedAt) {
				had, stored = true, s.fail(ctx, c, CodeRecordingMissing, ev.Size, ev.At)
			}
		case oerr != nil:
			stored = errors.Join(fmt.Errorf("analyzer: open %s: %w", ev.Key, oerr), s.fail(ctx, c, CodeInternal, ev.Size, ev.At))
		default:
			had = true
			stored = s.analyze(ctx, c, obj.Body, obj.Size, ev.At)
		}
	}
	deleted = true
	if derr := s.delete(ctx, ev.Key); derr != nil {
		return errors.Join(stored, derr)
	}
	if had {
		if merr := s.chunks.MarkDeleted(ctx, ref, s.now().UTC()); merr != nil && !errors.Is(merr, ErrChunkNotFound) {
			return errors.Join(stored, fmt.Errorf("analyzer: record deletion of %s: %w", ev.Key, merr))
		}
	}
	return errors.Join(stored, s.Settle(ctx, ref.UserID, ref.SessionID))
}

// Reanalyze runs the analysis of a chunk whose object is still in the bucket but has no result
// (its event was lost, or failed half-way). A chunk whose link expired unused is settled as
// not_uploaded so the session can finish.
func (s *Service) Reanalyze(ctx context.Context, userID, analysisID string) (View, error) {
	ref, err := ParseAnalysisID(userID, analysisID)
	if err != nil {
		return View{}, fmt.Errorf("%w: %w", ErrChunkNotFound, err)
	}
	c, err := s.chunks.GetChunk(ctx, ref)
	if err != nil {
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, err)
	}
	if c.Status == StatusDone {
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, ErrAlreadyAnalyzed)
	}
	now := s.now().UTC()
	obj, err := s.blobs.Open(ctx, ref.ObjectKey())
	switch {
	case errors.Is(err, ErrObjectMissing) && c.Status == StatusFailed:
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, ErrRecordingMissing)
	case errors.Is(err, ErrObjectMissing) && c.Recording.CreatedAt != nil:
		err = s.fail(ctx, c, CodeRecordingMissing, c.Recording.Size, *c.Recording.CreatedAt)
	case errors.Is(err, ErrObjectMissing) && now.After(c.UploadExpiresAt):
		err = s.fail(ctx, c, CodeNotUploaded, 0, now)
	case errors.Is(err, ErrObjectMissing):
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, ErrNotUploaded)
	case err != nil:
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, err)
	default:
		created := obj.CreatedAt
		if created.IsZero() {
			created = now
		}
		err = errors.Join(s.analyze(ctx, c, obj.Body, obj.Size, created), s.delete(ctx, ref.ObjectKey()))
		if err == nil {
			err = s.chunks.MarkDeleted(ctx, ref, s.now().UTC())
		}
	}
	if err = errors.Join(err, s.Settle(ctx, userID, ref.SessionID)); err != nil {
		return View{}, fmt.Errorf("analysis %s: %w", analysisID, err)
	}
	return s.Analysis(ctx, userID, analysisID)
}

// Settle recomputes a session's play time and timeline from all its chunks and stores them; the
// session is done once it has ended and no chunk is still to come. Stopping a session calls it too,
// for the case where every chunk was analysed before the stop. A session without chunks is left
// as it is until Closed after its end, when it is done without analysis (reading a session that
// still waits then calls Settle: no event would). Two chunks of one session analysed at once may
// each read the other's chunk before it was stored, so after writing it reads again and rewrites
// until what it wrote is what the chunks say.
func (s *Service) Settle(ctx context.Context, userID, sessionID string) error {
	sess, err := s.sessions.Session(ctx, userID, sessionID)
	if errors.Is(err, ErrSessionNotFound) {
		return nil // deleted meanwhile: nothing to update
	}
	if err != nil {
		return fmt.Errorf("settle %s: %w", sessionID, err)
	}
	if !sess.Recorded {
		return nil
	}
	ended := sess.EndedAt != nil && !sess.Active
	closed := ended && s.now().Sub(*sess.EndedAt) > Closed
	var written *SessionAnalysis
	for range 3 {
		chunks, err := s.chunks.ListChunks(ctx, userID, sessionID)
		if err != nil {
			return fmt.Errorf("settle %s: %w", sessionID, err)
		}
		if len(chunks) == 0 && !closed {
			// Nothing uploaded yet: the last (or only) chunk of a recording is sent after the
			// stop, so an ended session without chunks waits for it, until none can come.
			return nil
		}
		sum := Summarize(chunks, s.now())
		a := SessionAnalysis{PlaySeconds: sum.PlaySeconds(), Timeline: sum.Timeline, Complete: sum.Settled, Analysed: sum.Analysed, Ended: ended}
		if written != nil && written.PlaySeconds == a.PlaySeconds && written.Complete == a.Complete &&
			written.Analysed == a.Analysed && slices.Equal(written.Timeline, a.Timeline) {
			return nil
		}
		if err := s.sessions.SetAnalysis(ctx, userID, sessionID, a); err != nil {
			if errors.Is(err, ErrSessionNotFound) {
				return nil
			}
			return fmt.Errorf("settle %s: %w", sessionID, err)
		}
		written = &a
	}
	return nil
}

// open streams the event's object, unless the event already says it is too large to read.
func (s *Service) open(ctx context.Context, ev ObjectEvent) (Object, error) {
	if ev.Size > MaxChunkBytes {
		return Object{Body: io.NopCloser(eofReader{}), Size: ev.Size, CreatedAt: ev.At}, nil
	}
	return s.blobs.Open(ctx, ev.Key)
}

// analyze runs the analyzer over body (closing it) and stores the outcome on the chunk.
func (s *Service) analyze(ctx context.Context, c Chunk, body io.ReadCloser, size int64, createdAt time.Time) error {
	defer body.Close()
	out := c
	now := s.now().UTC()
	created := createdAt.UTC()
	out.Recording.Size, out.Recording.CreatedAt, out.Recording.DeletedAt = size, &created, nil
	out.AnalyzedAt, out.Error, out.Segments, out.PlayS, out.DurationS = &now, nil, nil, 0, 0
	if size > MaxChunkBytes {
		out.Status, out.Error = StatusFailed, failure(CodeTooLarge)
	} else {
		lr := &limitReader{r: body, n: MaxChunkBytes}
		res, err := s.run(lr)
		switch {
		case lr.over:
			out.Status, out.Error = StatusFailed, failure(CodeTooLarge)
		case err != nil:
			out.Status, out.Error, out.DurationS = StatusFailed, failure(codeOf(err)), res.DurationS
			s.log.Info("chunk failed", "analysis_id", c.Ref().AnalysisID(), "code", out.Error.Code, "error", err.Error())
		default:
			out.Status, out.DurationS, out.PlayS, out.Segments = StatusDone, res.DurationS, res.PlayS, res.Segments
			if c.LeadS > 0 {
				out.PlayS = roundMS(within(res.Segments, c.LeadS, res.DurationS))
			}
		}
		if lr.over {
			out.Recording.Size = max(size, lr.read)
		}
	}
	return s.save(ctx, out)
}

// run calls the analyzer; a panic on some odd file is a failed chunk, not a crash loop.
func (s *Service) run(r io.Reader) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("analyzer panicked", "panic", fmt.Sprint(p))
			res, err = Result{}, fmt.Errorf("analyzer panicked: %v", p)
		}
	}()
	return s.analyzer.Analyze(r)
}

// fail stores a failure that no analysis produced.
func (s *Service) fail(ctx context.Context, c Chunk, code string, size int64, createdAt time.Time) error {
	out := c
	now := s.now().UTC()
	out.Status, out.Error, out.AnalyzedAt = StatusFailed, failure(code), &now
	out.Segments, out.PlayS = nil, 0
	if size > 0 {
		created := createdAt.UTC()
		out.Recording.Size, out.Recording.CreatedAt = size, &created
	}
	return s.save(ctx, out)
}

// save stores an outcome. A chunk that became done meanwhile (a duplicate event won) or was
// deleted with its session keeps what it has. Any other failure is retried once as failed
// internal, so the chunk does not wait for an object that is about to be deleted.
func (s *Service) save(ctx context.Context, out Chunk) error {
	err := s.chunks.SaveResult(ctx, out)
	if err == nil || errors.Is(err, ErrAlreadyAnalyzed) || errors.Is(err, ErrChunkNotFound) {
		return nil
	}
	err = fmt.Errorf("analyzer: store result of %s: %w", out.Ref().AnalysisID(), err)
	if out.Error == nil || out.Error.Code != CodeInternal {
		internal := out
		internal.Status, internal.Error, internal.Segments, internal.PlayS = StatusFailed, failure(CodeInternal), nil, 0
		if ierr := s.chunks.SaveResult(context.WithoutCancel(ctx), internal); ierr != nil && !errors.Is(ierr, ErrAlreadyAnalyzed) {
			s.log.Error("could not mark chunk failed", "analysis_id", out.Ref().AnalysisID(), "error", ierr.Error())
		}
	}
	return err
}

// delete removes the object even when the invocation's context is done: audio must not outlive it.
func (s *Service) delete(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.blobs.Delete(ctx, key); err != nil {
		return fmt.Errorf("analyzer: delete %s: %w", key, err)
	}
	return nil
}

// limitReader reads at most n bytes and notes whether the stream had more.
type limitReader struct {
	r    io.Reader
	n    int64
	read int64
	over bool
}

var errTooLarge = errors.New("recording larger than the upload limit")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.read >= l.n {
		// One byte more tells a stream of exactly n bytes from a longer one.
		var b [1]byte
		if k, _ := io.ReadFull(l.r, b[:]); k > 0 {
			l.over, l.read = true, l.read+1
			return 0, &AnalysisError{Code: CodeTooLarge, Err: errTooLarge}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n-l.read {
		p = p[:l.n-l.read]
	}
	k, err := l.r.Read(p)
	l.read += int64(k)
	return k, err
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
