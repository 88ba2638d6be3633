package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"testing"
)

func sine(n, rate int, hz, amp float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(amp * math.Sin(2*math.Pi*hz*float64(i)/float64(rate)))
	}
	return out
}

func encode(t testing.TB, spec WAVSpec, interleaved []float32) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteWAV(&b, spec, interleaved); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readAll drains r with an awkward buffer size so partial frames cross read boundaries.
func readAll(t testing.TB, r *WAVReader) ([]float32, error) {
	t.Helper()
	var out []float32
	buf := make([]float32, 1237)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func TestReaderFormats(t *testing.T) {
	cases := []struct {
		name string
		spec WAVSpec
		tol  float64
	}{
		{"pcm8-unsigned", WAVSpec{SampleRate: 8000, Channels: 1, BitDepth: 8}, 1.0 / 100},
		{"pcm16", WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, 1e-4},
		{"pcm24", WAVSpec{SampleRate: 44100, Channels: 1, BitDepth: 24}, 1e-6},
		{"pcm32", WAVSpec{SampleRate: 48000, Channels: 1, BitDepth: 32}, 1e-6},
		{"float32", WAVSpec{SampleRate: 22050, Channels: 1, BitDepth: 32, Float: true}, 1e-7},
		{"float64", WAVSpec{SampleRate: 32000, Channels: 1, BitDepth: 64, Float: true}, 1e-7},
		{"stereo16", WAVSpec{SampleRate: 44100, Channels: 2, BitDepth: 16}, 1e-4},
		{"stereo24-extensible", WAVSpec{SampleRate: 48000, Channels: 2, BitDepth: 24, Extensible: true}, 1e-6},
		{"float32-extensible", WAVSpec{SampleRate: 96000, Channels: 1, BitDepth: 32, Float: true, Extensible: true}, 1e-7},
		{"pcm16-11025", WAVSpec{SampleRate: 11025, Channels: 1, BitDepth: 16}, 1e-4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := c.spec.SampleRate/2 + 3
			left := sine(n, c.spec.SampleRate, 440, 0.5)
			right := sine(n, c.spec.SampleRate, 660, 0.25)
			inter := make([]float32, 0, n*c.spec.Channels)
			want := make([]float32, n)
			for i := range n {
				if c.spec.Channels == 2 {
					inter = append(inter, left[i], right[i])
					want[i] = (left[i] + right[i]) / 2
				} else {
					inter = append(inter, left[i])
					want[i] = left[i]
				}
			}
			r, err := NewWAVReader(bytes.NewReader(encode(t, c.spec, inter)))
			if err != nil {
				t.Fatal(err)
			}
			f := r.Format()
			if f.SampleRate != c.spec.SampleRate || f.Channels != c.spec.Channels || f.BitDepth != c.spec.BitDepth || f.Float != c.spec.Float {
				t.Fatalf("format %+v, want %+v", f, c.spec)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("read %d frames, want %d", len(got), n)
			}
			for i := range got {
				if math.Abs(float64(got[i]-want[i])) > c.tol {
					t.Fatalf("sample %d = %v, want %v", i, got[i], want[i])
				}
			}
			if d := f.Duration(); math.Abs(d-float64(n)/float64(c.spec.SampleRate)) > 1e-9 {
				t.Fatalf("duration %v", d)
			}
		})
	}
}

func TestReader8BitIsUnsigned(t *testing.T) {
	b := encode(t, WAVSpec{SampleRate: 8000, Channels: 1, BitDepth: 8}, []float32{0, 1, -1})
	data := b[len(b)-4 : len(b)-1] // three samples then the pad byte
	if data[0] != 128 || data[1] != 255 || data[2] != 1 {
		t.Fatalf("8-bit bytes %v", data)
	}
	r, err := NewWAVReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	if err != nil || len(got) != 3 || got[0] != 0 || got[1] < 0.98 || got[2] > -0.98 {
		t.Fatalf("got %v %v", got, err)
	}
}

// withChunk inserts an extra chunk (e.g. LIST) before fmt, as some recorders do.
func withChunk(b []byte, id string, body []byte) []byte {
	var out bytes.Buffer
	out.Write(b[:12])
	out.WriteString(id)
	_ = binary.Write(&out, binary.LittleEndian, uint32(len(body)))
	out.Write(body)
	if len(body)%2 == 1 {
		out.WriteByte(0)
	}
	out.Write(b[12:])
	return out.Bytes()
}

func TestReaderSkipsUnknownChunks(t *testing.T) {
	b := encode(t, WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, sine(1600, 16000, 300, 0.3))
	b = withChunk(b, "LIST", []byte("INFOISFT\x05\x00\x00\x00test\x00"))
	r, err := NewWAVReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	if err != nil || len(got) != 1600 {
		t.Fatalf("%d samples, %v", len(got), err)
	}
}

func TestReaderStreamingPlaceholderSize(t *testing.T) {
	b := encode(t, WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, sine(1000, 16000, 300, 0.3))
	binary.LittleEndian.PutUint32(b[40:44], 0xFFFFFFFF)
	r, err := NewWAVReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	if err != nil || len(got) != 1000 {
		t.Fatalf("%d samples, %v", len(got), err)
	}
}

func TestReaderErrors(t *testing.T) {
	good := encode(t, WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, sine(4000, 16000, 300, 0.3))
	avi := append([]byte("RIFF\x10\x00\x00\x00AVI LIST"), make([]byte, 8)...)
	alaw := bytes.Clone(good)
	binary.LittleEndian.PutUint16(alaw[20:22], 6)
	bits12 := bytes.Clone(good)
	binary.LittleEndian.PutUint16(bits12[34:36], 12)
	noData := good[:36]
	emptyData := encode(t, WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, nil)
	rate0 := bytes.Clone(good)
	binary.LittleEndian.PutUint32(rate0[24:28], 0)
	cases := []struct {
		name string
		in   []byte
		want error
		code string
	}{
		{"empty-file", nil, ErrEmpty, "empty"},
		{"no-samples", emptyData, ErrEmpty, "empty"},
		{"text", []byte("hello, this is not audio at all"), ErrNotWAV, "not_wav"},
		{"tiny", []byte("RI"), ErrTruncated, "truncated"},
		{"mp3ish", []byte("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb"), ErrNotWAV, "not_wav"},
		{"riff-avi", avi, ErrNotWAV, "not_wav"},
		{"header-only", good[:12], ErrTruncated, "truncated"},
		{"no-data-chunk", noData, ErrTruncated, "truncated"},
		{"truncated-data", good[:len(good)-1001], ErrTruncated, "truncated"},
		{"alaw", alaw, ErrUnsupportedFormat, "unsupported_format"},
		{"12-bit", bits12, ErrUnsupportedFormat, "unsupported_format"},
		{"rate-0", rate0, ErrUnsupportedFormat, "unsupported_format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := decodeAll(c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if got := ErrorCode(err); got != c.code {
				t.Fatalf("code %q, want %q", got, c.code)
			}
		})
	}
	if ErrorCode(errors.New("boom")) != "analysis_failed" || ErrorCode(nil) != "" {
		t.Fatal("ErrorCode fallback")
	}
}

func FuzzReader(f *testing.F) {
	f.Add(encode(f, WAVSpec{SampleRate: 8000, Channels: 2, BitDepth: 24}, sine(64, 8000, 300, 0.3)))
	f.Add(encode(f, WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 32, Float: true, Extensible: true}, sine(50, 16000, 300, 0.3)))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewWAVReader(bytes.NewReader(b))
		if err != nil {
			if ErrorCode(err) == "analysis_failed" {
				t.Fatalf("header error without a code: %v", err)
			}
			return
		}
		got, err := readAll(t, r)
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrEmpty) {
			t.Fatalf("unexpected error %v", err)
		}
		for _, v := range got {
			if v != v || v < -1.0001 || v > 1.0001 {
				t.Fatalf("sample out of range: %v", v)
			}
		}
	})
}

func decodeAll(b []byte) error {
	r, err := NewWAVReader(bytes.NewReader(b))
	if err != nil {
		return err
	}
	buf := make([]float32, 500)
	for {
		if _, err := r.Read(buf); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}
