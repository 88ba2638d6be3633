package audio

import (
	"encoding/binary"
	"io"
	"math"
	"runtime"
	"testing"
)

// toneStream is a WAV that is generated as it is read, so the test itself holds no audio.
type toneStream struct {
	hdr   []byte
	left  int64 // sample bytes still to produce
	i     int64
	phase float64
}

func newToneStream(seconds int) *toneStream {
	n := int64(seconds) * 16000 * 2
	h := make([]byte, 44)
	copy(h, "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+n))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], 1)
	binary.LittleEndian.PutUint32(h[24:], 16000)
	binary.LittleEndian.PutUint32(h[28:], 32000)
	binary.LittleEndian.PutUint16(h[32:], 2)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(n))
	return &toneStream{hdr: h, left: n}
}

func (s *toneStream) Read(p []byte) (int, error) {
	if len(s.hdr) > 0 {
		n := copy(p, s.hdr)
		s.hdr = s.hdr[n:]
		return n, nil
	}
	if s.left == 0 {
		return 0, io.EOF
	}
	n := 0
	for n+1 < len(p) && s.left > 0 {
		t := float64(s.i) / 16000
		v := 0.0
		// Six seconds of a bowed-like note (harmonics, vibrato), four of quiet, over and over.
		s.phase += 2 * math.Pi * 330 * math.Pow(2, 0.3/12*math.Sin(2*math.Pi*5.5*t)) / 16000
		if int(t)%10 < 6 {
			for h := 1.0; h <= 6; h++ {
				v += 0.15 / h * math.Sin(h*s.phase)
			}
		}
		v += 0.001 * math.Sin(2*math.Pi*3001*t)
		binary.LittleEndian.PutUint16(p[n:], uint16(int16(v*32767)))
		n += 2
		s.i++
		s.left -= 2
	}
	return n, nil
}

// Memory must not grow with the length of the recording.
func TestAnalyzeMemoryIsConstant(t *testing.T) {
	if testing.Short() {
		t.Skip("streams five minutes of audio")
	}
	heapAfter := func(seconds int) (uint64, Result) {
		runtime.GC()
		var before, peak runtime.MemStats
		runtime.ReadMemStats(&before)
		res, err := Analyze(newToneStream(seconds))
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&peak)
		return peak.TotalAlloc - before.TotalAlloc, res
	}
	short, _ := heapAfter(30)
	long, res := heapAfter(300)
	if math.Abs(res.DurationS-300) > 1e-6 {
		t.Fatalf("duration %v", res.DurationS)
	}
	// The segment list grows with the number of passages (30 here); nothing else may.
	if long > short+64<<10 {
		t.Fatalf("allocated %d bytes for 5 min, %d for 30 s", long, short)
	}
	if len(res.Segments) < 25 || len(res.Segments) > 35 {
		t.Fatalf("%d passages for 30 notes", len(res.Segments))
	}
}
