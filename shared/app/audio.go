package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/audio"
	"woodshed/shared/blob"
	"woodshed/shared/config"
	"woodshed/shared/httpapi"
	"woodshed/shared/practice"
	"woodshed/shared/recording"
	"woodshed/shared/store"
)

// audioRules are the audio pipeline's domain errors as API errors.
var audioRules = httpapi.Rules{
	{Target: recording.ErrSessionNotFound, Status: http.StatusNotFound, Code: "not_found", Message: "session not found"},
	{Target: recording.ErrChunkNotFound, Status: http.StatusNotFound, Code: "not_found", Message: "analysis not found"},
	{Target: recording.ErrAlreadyAnalyzed, Status: http.StatusConflict, Code: "already_analyzed"},
	{Target: recording.ErrSessionClosed, Status: http.StatusConflict, Code: "session_closed",
		Message: "the session has ended; its last chunks may be sent up to 10 minutes after the stop"},
	{Target: recording.ErrNotRecorded, Status: http.StatusConflict, Code: "not_recorded"},
	{Target: recording.ErrNotUploaded, Status: http.StatusConflict, Code: "not_uploaded",
		Message: "the chunk has not been uploaded yet; upload it with the link from upload-audio"},
	{Target: recording.ErrRecordingMissing, Status: http.StatusConflict, Code: "recording_missing"},
}

// newRecording builds the audio pipeline over the table, the recordings bucket and the analyzer.
func newRecording(cfg config.Config, st *store.Store, objects *blob.Store, presigner *blob.Presigner) *recording.Service {
	bucket := recordingsBucket{objects: objects, presigner: presigner, bucket: cfg.RecordingsBucket}
	return recording.New(st.Chunks(), practiceSessions{st}, bucket, analyzer{})
}

func (a *App) audioHandlers(add func(string, httpapi.Func)) {
	add("practice-upload-audio", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if r.UserID == "" {
			return httpapi.Response{}, httpapi.Unauthorized()
		}
		var in recording.UploadRequest
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		g, err := a.rec.RequestUpload(ctx, r.UserID, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Created(g)
	})
	add("practice-analyze-audio", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if r.UserID == "" {
			return httpapi.Response{}, httpapi.Unauthorized()
		}
		var in struct {
			AnalysisID string `json:"analysis_id"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if in.AnalysisID == "" {
			return httpapi.Response{}, httpapi.Invalid(httpapi.FieldError{Field: "analysis_id", Message: "is required"})
		}
		v, err := a.rec.Reanalyze(ctx, r.UserID, in.AnalysisID)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(v)
	})
	add("practice-analysis", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if r.UserID == "" {
			return httpapi.Response{}, httpapi.Unauthorized()
		}
		v, err := a.rec.Analysis(ctx, r.UserID, r.Param("analysis_id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(v)
	})
}

// SettleSession brings a recorded session's play time, timeline and status in line with its
// chunks. Ending a session calls it: when every chunk was analysed before the stop (or none was
// uploaded) no later event would.
func (a *App) SettleSession(ctx context.Context, userID, sessionID string) error {
	return a.rec.Settle(ctx, userID, sessionID)
}

// settleEnded settles a session that just ended and returns it as it is now. A failure is
// logged, not returned: the stop itself succeeded, and the next chunk's analysis settles again.
func (a *App) settleEnded(ctx context.Context, userID string, s practice.Session) practice.Session {
	if err := a.rec.Settle(ctx, userID, s.SessionID); err != nil {
		slog.Default().Error("settle after the stop failed", "session_id", s.SessionID, "error", err.Error())
		return s
	}
	if now, err := a.store.Session(ctx, userID, s.SessionID); err == nil {
		return now
	}
	return s
}

// settleWaiting settles a session that still waits for analysis when nothing more can arrive for
// it (recording.Closed after its end): no event would settle it, so reading it does.
func (a *App) settleWaiting(ctx context.Context, userID string, s practice.Session) practice.Session {
	if s.Status != practice.Analyzing || s.EndTime == nil || a.now().Sub(*s.EndTime) <= recording.Closed {
		return s
	}
	return a.settleEnded(ctx, userID, s)
}

// analyzeRecordings is the analyzer Lambda: one S3 ObjectCreated notification, possibly of several
// objects. It returns an error only for failures a retry can finish (see recording.HandleObject).
func (a *App) analyzeRecordings(ctx context.Context, ev events.S3Event) error {
	var errs []error
	for _, rec := range ev.Records {
		log := slog.Default().With("bucket", rec.S3.Bucket.Name, "key", rec.S3.Object.Key, "event", rec.EventName)
		if !strings.HasPrefix(rec.EventName, "ObjectCreated:") || rec.S3.Bucket.Name != a.cfg.RecordingsBucket {
			log.Warn("ignored a notification that is not an upload to the recordings bucket")
			continue
		}
		// Keys in notifications are form-encoded; an undecodable one stays as it is, is refused by
		// the key layout and deleted.
		key, err := url.QueryUnescape(rec.S3.Object.Key)
		if err != nil {
			key = rec.S3.Object.Key
		}
		start := time.Now()
		err = a.rec.HandleObject(ctx, recording.ObjectEvent{Key: key, Size: rec.S3.Object.Size, At: rec.EventTime})
		if err != nil {
			log.Error("analysis failed; the event will be retried", "error", err.Error())
			errs = append(errs, err)
			continue
		}
		log.Info("analysed", "duration_ms", time.Since(start).Milliseconds())
	}
	return errors.Join(errs...)
}

// recordingsBucket is the recordings bucket as the pipeline sees it.
type recordingsBucket struct {
	objects   *blob.Store
	presigner *blob.Presigner
	bucket    string
}

func (b recordingsBucket) PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (recording.Upload, error) {
	u, err := b.presigner.PresignPut(ctx, b.bucket, key, contentType, size, ttl)
	if err != nil {
		return recording.Upload{}, err
	}
	return recording.Upload{Method: u.Method, URL: u.URL, Headers: u.Headers, Fields: u.Fields, ExpiresAt: u.ExpiresAt}, nil
}

func (b recordingsBucket) Open(ctx context.Context, key string) (recording.Object, error) {
	obj, err := b.objects.Open(ctx, b.bucket, key)
	if errors.Is(err, blob.ErrNotFound) {
		return recording.Object{}, fmt.Errorf("%w: %w", recording.ErrObjectMissing, err)
	}
	if err != nil {
		return recording.Object{}, err
	}
	return recording.Object{Body: obj.Body, Size: obj.Size, CreatedAt: obj.LastModified}, nil
}

func (b recordingsBucket) Delete(ctx context.Context, key string) error {
	return b.objects.Delete(ctx, b.bucket, key)
}

// practiceSessions is the practice store as the pipeline sees it.
type practiceSessions struct{ st *store.Store }

func (p practiceSessions) Session(ctx context.Context, userID, sessionID string) (recording.Session, error) {
	s, err := p.st.Session(ctx, userID, sessionID)
	if errors.Is(err, practice.ErrNotFound) {
		return recording.Session{}, fmt.Errorf("%w: %w", recording.ErrSessionNotFound, err)
	}
	if err != nil {
		return recording.Session{}, err
	}
	return recording.Session{Recorded: s.Source == practice.Recorded, Active: s.Status == practice.Active, EndedAt: s.EndTime}, nil
}

func (p practiceSessions) SetAnalysis(ctx context.Context, userID, sessionID string, a recording.SessionAnalysis) error {
	var err error
	switch {
	case a.Analysed > 0:
		tl := make([]practice.Segment, len(a.Timeline))
		for i, s := range a.Timeline {
			tl[i] = practice.Segment{StartS: s.StartS, EndS: s.EndS}
		}
		_, err = p.st.SetSessionAnalysis(ctx, userID, sessionID, tl, a.Complete)
	case a.Complete && a.Ended:
		// Every chunk failed, or none came: the session counts its duration.
		_, err = p.st.FinishUnanalysed(ctx, userID, sessionID)
	}
	if errors.Is(err, practice.ErrNotFound) {
		return fmt.Errorf("%w: %w", recording.ErrSessionNotFound, err)
	}
	return err
}

// analyzer is shared/audio as the pipeline's port.
type analyzer struct{}

func (analyzer) Analyze(r io.Reader) (recording.Result, error) {
	res, err := audio.Analyze(r)
	out := recording.Result{DurationS: res.DurationS, PlayS: res.PlayS, Segments: make([]recording.Segment, len(res.Segments))}
	for i, s := range res.Segments {
		out.Segments[i] = recording.Segment{StartS: s.StartS, EndS: s.EndS}
	}
	if err != nil {
		return out, &recording.AnalysisError{Code: audio.ErrorCode(err), Err: err}
	}
	return out, nil
}
