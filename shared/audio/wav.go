package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/go-audio/wav"
)

// Errors the pipeline maps to failed-chunk codes; see ErrorCode.
var (
	ErrNotWAV            = errors.New("not a WAV file")
	ErrTruncated         = errors.New("truncated WAV file")
	ErrUnsupportedFormat = errors.New("unsupported WAV format")
	ErrEmpty             = errors.New("WAV file has no audio")
)

// ErrorCode maps an analysis error to the code stored on a failed chunk.
func ErrorCode(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotWAV):
		return "not_wav"
	case errors.Is(err, ErrTruncated):
		return "truncated"
	case errors.Is(err, ErrUnsupportedFormat):
		return "unsupported_format"
	case errors.Is(err, ErrEmpty):
		return "empty"
	default:
		return "analysis_failed"
	}
}

// Format describes the sample layout of a WAV data chunk.
type Format struct {
	SampleRate int
	Channels   int
	BitDepth   int   // container bits per sample
	Float      bool  // IEEE float samples
	DataBytes  int64 // size the data chunk header declares; -1 when it is a streaming placeholder
}

// Duration is the declared length of the audio in seconds, or 0 when unknown.
func (f Format) Duration() float64 {
	if f.DataBytes < 0 {
		return 0
	}
	return float64(f.DataBytes/int64(f.blockAlign())) / float64(f.SampleRate)
}

func (f Format) blockAlign() int { return f.Channels * f.BitDepth / 8 }

const (
	formatPCM        = 1
	formatFloat      = 3
	formatExtensible = 0xFFFE
	maxFmtChunk      = 1024
	readBufBytes     = 32 << 10
)

// WAVReader streams mono float32 samples out of a RIFF/WAVE stream in constant memory. The header
// is parsed with go-audio/wav; samples are converted by a loop of our own, which is several times
// faster than go-audio's per-sample reader.
type WAVReader struct {
	r         io.Reader
	f         Format
	remaining int64 // bytes of the data chunk still to read; -1 means read to EOF
	buf       []byte
	pending   int // bytes carried over from the previous read (a partial sample frame)
	frames    int64
	err       error
}

// NewWAVReader reads the header of a WAV stream up to the start of its samples.
func NewWAVReader(r io.Reader) (*WAVReader, error) {
	var hdr [12]byte
	n, err := io.ReadFull(r, hdr[:])
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return nil, fmt.Errorf("%w: zero-length file", ErrEmpty)
	case err != nil && n < 12:
		if string(hdr[:min(n, 4)]) == "RIFF"[:min(n, 4)] {
			return nil, fmt.Errorf("%w: file ends inside the RIFF header (%d bytes)", ErrTruncated, n)
		}
		return nil, fmt.Errorf("%w: file too short (%d bytes)", ErrNotWAV, n)
	}
	if string(hdr[0:4]) != "RIFF" {
		if string(hdr[0:4]) == "RF64" {
			return nil, fmt.Errorf("%w: RF64 container", ErrUnsupportedFormat)
		}
		return nil, fmt.Errorf("%w: no RIFF header", ErrNotWAV)
	}
	if string(hdr[8:12]) != "WAVE" {
		return nil, fmt.Errorf("%w: RIFF form type %q is not WAVE", ErrNotWAV, printable(hdr[8:12]))
	}

	var fmtChunk []byte
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			if fmtChunk == nil {
				return nil, fmt.Errorf("%w: file ends before the fmt chunk", ErrTruncated)
			}
			return nil, fmt.Errorf("%w: file ends before the data chunk", ErrTruncated)
		}
		id := string(ch[0:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if size < 16 || size > maxFmtChunk {
				return nil, fmt.Errorf("%w: fmt chunk of %d bytes", ErrUnsupportedFormat, size)
			}
			fmtChunk = make([]byte, size+size%2)
			if _, err := io.ReadFull(r, fmtChunk); err != nil {
				return nil, fmt.Errorf("%w: file ends inside the fmt chunk", ErrTruncated)
			}
			fmtChunk = fmtChunk[:size]
		case "data":
			if fmtChunk == nil {
				return nil, fmt.Errorf("%w: data chunk before fmt chunk", ErrUnsupportedFormat)
			}
			f, err := parseFmt(fmtChunk)
			if err != nil {
				return nil, err
			}
			w := &WAVReader{r: r, f: f, remaining: size}
			// 0 and 0xFFFFFFFF are placeholders written by streaming encoders that could not seek back.
			if size == 0 || size == 0xFFFFFFFF {
				w.remaining = -1
				w.f.DataBytes = -1
			} else {
				w.f.DataBytes = size
			}
			bufBytes := readBufBytes - readBufBytes%f.blockAlign()
			w.buf = make([]byte, bufBytes)
			return w, nil
		default:
			if _, err := io.CopyN(io.Discard, r, size+size%2); err != nil {
				return nil, fmt.Errorf("%w: file ends inside the %q chunk", ErrTruncated, printable(ch[0:4]))
			}
		}
	}
}

// parseFmt decodes the fmt chunk with go-audio/wav and adds what it leaves out: the sub-format of
// WAVE_FORMAT_EXTENSIBLE.
func parseFmt(c []byte) (Format, error) {
	var mini bytes.Buffer
	mini.WriteString("RIFF")
	_ = binary.Write(&mini, binary.LittleEndian, uint32(4+8+len(c)+8))
	mini.WriteString("WAVEfmt ")
	_ = binary.Write(&mini, binary.LittleEndian, uint32(len(c)))
	mini.Write(c)
	mini.WriteString("data\x00\x00\x00\x00")
	d := wav.NewDecoder(bytes.NewReader(mini.Bytes()))
	d.ReadInfo()
	if err := d.Err(); err != nil {
		return Format{}, fmt.Errorf("%w: fmt chunk: %v", ErrUnsupportedFormat, err)
	}
	tag := d.WavAudioFormat
	if tag == formatExtensible {
		if len(c) < 40 {
			return Format{}, fmt.Errorf("%w: extensible fmt chunk of %d bytes", ErrUnsupportedFormat, len(c))
		}
		tag = binary.LittleEndian.Uint16(c[24:26]) // first two bytes of the sub-format GUID
	}
	f := Format{SampleRate: int(d.SampleRate), Channels: int(d.NumChans), BitDepth: int(d.BitDepth)}
	switch tag {
	case formatPCM:
		switch f.BitDepth {
		case 8, 16, 24, 32:
		default:
			return Format{}, fmt.Errorf("%w: %d-bit PCM", ErrUnsupportedFormat, f.BitDepth)
		}
	case formatFloat:
		f.Float = true
		if f.BitDepth != 32 && f.BitDepth != 64 {
			return Format{}, fmt.Errorf("%w: %d-bit float", ErrUnsupportedFormat, f.BitDepth)
		}
	default:
		return Format{}, fmt.Errorf("%w: format tag 0x%04x (only PCM and IEEE float)", ErrUnsupportedFormat, tag)
	}
	if f.Channels < 1 || f.Channels > 8 {
		return Format{}, fmt.Errorf("%w: %d channels", ErrUnsupportedFormat, f.Channels)
	}
	if f.SampleRate < 4000 || f.SampleRate > 384000 {
		return Format{}, fmt.Errorf("%w: sample rate %d Hz", ErrUnsupportedFormat, f.SampleRate)
	}
	return f, nil
}

// Format returns the stream's sample layout.
func (w *WAVReader) Format() Format { return w.f }

// Frames returns how many sample frames have been read so far.
func (w *WAVReader) Frames() int64 { return w.frames }

// Read fills dst with mono samples in [-1, 1] (channels averaged) and returns how many it wrote.
// At the end of the data it returns io.EOF, or an error wrapping ErrTruncated when the stream ended
// before the size the data chunk declared, or ErrEmpty when there were no samples at all.
func (w *WAVReader) Read(dst []float32) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	ba := w.f.blockAlign()
	toRead := min(len(dst)*ba, len(w.buf)) - w.pending
	if w.remaining >= 0 && int64(toRead) > w.remaining {
		toRead = int(w.remaining)
	}
	if toRead <= 0 {
		if w.remaining == 0 {
			w.err = w.endErr() // a partial trailing frame, if any, is dropped
			return 0, w.err
		}
		return 0, nil
	}
	k, rerr := io.ReadFull(w.r, w.buf[w.pending:w.pending+toRead])
	if w.remaining >= 0 {
		w.remaining -= int64(k)
	}
	n := w.pending + k
	got := n - n%ba
	out := w.decode(w.buf[:got], dst)
	w.pending = copy(w.buf, w.buf[got:n])
	w.frames += int64(out)
	if rerr != nil {
		switch {
		case rerr != io.EOF && rerr != io.ErrUnexpectedEOF:
			w.err = fmt.Errorf("reading samples: %w", rerr)
		case w.remaining > 0:
			w.err = fmt.Errorf("%w: data chunk declares %d bytes, stream ended %d bytes short",
				ErrTruncated, w.f.DataBytes, w.remaining)
		default:
			w.err = w.endErr()
		}
		if out > 0 {
			return out, nil
		}
		return 0, w.err
	}
	return out, nil
}

// endErr is io.EOF, or ErrEmpty when the data chunk held no whole sample frame.
func (w *WAVReader) endErr() error {
	if w.frames == 0 {
		return fmt.Errorf("%w: data chunk holds no samples", ErrEmpty)
	}
	return io.EOF
}

// decode converts whole sample frames in b to mono float32 in dst.
func (w *WAVReader) decode(b []byte, dst []float32) int {
	ch := w.f.Channels
	frames := len(b) / w.f.blockAlign()
	dst = dst[:frames]
	switch {
	case ch == 1 && !w.f.Float && w.f.BitDepth == 16:
		// The common case (the web recorder's output): one tight loop.
		const s = 1.0 / 32768
		for i := range dst {
			dst[i] = float32(int16(uint16(b[2*i])|uint16(b[2*i+1])<<8)) * s
		}
		return frames
	}
	inv := float32(1) / float32(ch)
	bps := w.f.BitDepth / 8
	p := 0
	for i := range dst {
		var acc float32
		for c := 0; c < ch; c++ {
			acc += sampleAt(b[p:p+bps], w.f.BitDepth, w.f.Float)
			p += bps
		}
		dst[i] = acc * inv
	}
	return frames
}

func sampleAt(b []byte, bits int, float bool) float32 {
	switch {
	case float && bits == 32:
		return clampFloat(float64(math.Float32frombits(binary.LittleEndian.Uint32(b))))
	case float:
		return clampFloat(math.Float64frombits(binary.LittleEndian.Uint64(b)))
	case bits == 8:
		return (float32(b[0]) - 128) / 128 // 8-bit WAV is unsigned
	case bits == 16:
		return float32(int16(binary.LittleEndian.Uint16(b))) / 32768
	case bits == 24:
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		return float32(v) / 8388608
	default:
		return float32(int32(binary.LittleEndian.Uint32(b))) / 2147483648
	}
}

func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 32 || c > 126 {
			c = '?'
		}
		out[i] = c
	}
	return string(out)
}

// clampFloat keeps float samples in [-1, 1] (as a DAC would) and maps NaN to 0, so one bad sample
// cannot poison every feature downstream.
func clampFloat(v float64) float32 {
	switch {
	case v != v:
		return 0
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return float32(v)
}
