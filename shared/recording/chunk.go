// Package recording is the audio pipeline's domain: the chunks a recorded practice session is
// uploaded in, their presigned uploads, the analysis of each uploaded object and the session's
// play time and timeline summed from its chunks. It knows no AWS SDK and no HTTP: the store, the
// bucket, the session records and the analyzer are ports (see Service).
package recording

import (
	"errors"
	"math"
	"time"
)

// Limits of an upload.
const (
	ContentType   = "audio/wav"
	MaxChunkBytes = 25 << 20 // 25 MB: about 13 min of 16 kHz mono 16-bit, far above a 60 s chunk
	MinChunkBytes = 45       // a WAV header alone is 44 bytes
	MaxChunkIndex = 719      // 720 chunks of 60 s: 12 hours
	MaxLeadS      = 15       // the longest lead a chunk may repeat from the previous one
	UploadTTL     = 15 * time.Minute
	// UploadGrace is how long after a session ended its last chunks may still be sent.
	UploadGrace = 10 * time.Minute
	// Closed is how long after a session ended nothing more can arrive for it: no link is given
	// after the grace, and the last one given expires UploadTTL later.
	Closed = UploadGrace + UploadTTL
	// nominalChunkS stands in for the length of a chunk nobody has measured yet.
	nominalChunkS = 60.0
)

// Status of a chunk's analysis.
type Status string

const (
	StatusPending Status = "pending"
	StatusDone    Status = "done"
	StatusFailed  Status = "failed"
)

// Segment is a stretch of playing, in seconds from the start of its chunk (or of the session, in
// a timeline).
type Segment struct {
	StartS float64 `json:"start_s"`
	EndS   float64 `json:"end_s"`
}

// Failure is why a chunk failed: a stable code and a message for the user.
type Failure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// File is what is known of the uploaded object: where it was, how big, when it came and went.
// The object itself is deleted once analysed; these facts stay on the chunk.
type File struct {
	Path         string     `json:"file_path"`
	DeclaredSize int64      `json:"declared_size"` // the signed Content-Length of the upload
	Size         int64      `json:"size"`          // as uploaded, from the bucket's event
	CreatedAt    *time.Time `json:"created_at"`
	DeletedAt    *time.Time `json:"deleted_at"`
}

// Chunk is one uploaded piece of a session's recording and its analysis.
type Chunk struct {
	UserID    string  `json:"user_id"`
	SessionID string  `json:"session_id"`
	Index     int     `json:"chunk_index"`
	Status    Status  `json:"status"`
	DurationS float64 `json:"duration_s"` // length of the audio, 0 until measured
	// LeadS is how many seconds at the start of the audio repeat the end of the previous chunk
	// (context for the analyzer; see Summarize). PlayS counts only what comes after it.
	LeadS           float64    `json:"lead_s"`
	PlayS           float64    `json:"play_s"`
	Segments        []Segment  `json:"segments"`
	Error           *Failure   `json:"error,omitempty"`
	Recording       File       `json:"recording"`
	RequestedAt     time.Time  `json:"requested_at"`      // latest upload-audio call
	UploadExpiresAt time.Time  `json:"upload_expires_at"` // its presigned URL's expiry
	AnalyzedAt      *time.Time `json:"analyzed_at,omitempty"`
}

// ownS is the length of the chunk's own audio, after its lead.
func (c Chunk) ownS() float64 { return math.Max(0, c.DurationS-c.LeadS) }

// Ref names the chunk.
func (c Chunk) Ref() ChunkRef { return ChunkRef{c.UserID, c.SessionID, c.Index} }

// Result is what the analysis of a chunk's object yields.
type Result struct {
	DurationS float64
	PlayS     float64
	Segments  []Segment
}

// Failure codes a chunk can end with beyond the analyzer's own (not_wav, truncated,
// unsupported_format, empty, analysis_failed).
const (
	CodeTooLarge         = "too_large"
	CodeAnalysisFailed   = "analysis_failed"
	CodeInternal         = "internal"
	CodeRecordingMissing = "recording_missing"
	CodeNotUploaded      = "not_uploaded"
)

var failureMessages = map[string]string{
	"not_wav":            "the file is not a WAV recording",
	"truncated":          "the recording is cut short; its data ends before its header says",
	"unsupported_format": "the WAV encoding is not supported; send PCM (8, 16, 24 or 32-bit) or float WAV",
	"empty":              "the recording holds no audio",
	CodeTooLarge:         "the recording is larger than 25 MB",
	CodeAnalysisFailed:   "the recording could not be analysed",
	CodeInternal:         "the result could not be saved; upload the chunk again",
	CodeRecordingMissing: "the recording was gone before it was analysed; upload the chunk again",
	CodeNotUploaded:      "nothing was uploaded before the upload link expired",
}

func failure(code string) *Failure {
	msg, ok := failureMessages[code]
	if !ok {
		code, msg = CodeAnalysisFailed, failureMessages[CodeAnalysisFailed]
	}
	return &Failure{Code: code, Message: msg}
}

// AnalysisError is how an Analyzer reports a file it cannot analyse: Code is one of the failure
// codes (not_wav, truncated, ...). Other errors from an Analyzer count as analysis_failed.
type AnalysisError struct {
	Code string
	Err  error
}

func (e *AnalysisError) Error() string { return e.Code + ": " + e.Err.Error() }
func (e *AnalysisError) Unwrap() error { return e.Err }

func codeOf(err error) string {
	var ae *AnalysisError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return CodeAnalysisFailed
}

// View is an analysis as GET /practice/analysis/{id} shows it.
type View struct {
	AnalysisID  string        `json:"analysis_id"`
	SessionID   string        `json:"session_id"`
	ChunkIndex  int           `json:"chunk_index"`
	LeadS       float64       `json:"lead_s"`
	Status      Status        `json:"status"`
	PlaySeconds int           `json:"play_seconds"`
	Segments    []Segment     `json:"segments"`
	Error       *Failure      `json:"error,omitempty"`
	Recording   RecordingView `json:"recording"`
}

// RecordingView is the part of File the API shows.
type RecordingView struct {
	Size      int64      `json:"size"`
	CreatedAt *time.Time `json:"created_at"`
	DeletedAt *time.Time `json:"deleted_at"`
}

// View is the chunk as the API shows it.
func (c Chunk) View() View {
	segs := c.Segments
	if segs == nil {
		segs = []Segment{}
	}
	return View{
		AnalysisID: c.Ref().AnalysisID(), SessionID: c.SessionID, ChunkIndex: c.Index, LeadS: c.LeadS, Status: c.Status,
		PlaySeconds: int(math.Round(c.PlayS)), Segments: segs, Error: c.Error,
		Recording: RecordingView{Size: c.Recording.Size, CreatedAt: c.Recording.CreatedAt, DeletedAt: c.Recording.DeletedAt},
	}
}
