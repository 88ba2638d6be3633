package pipelinetest

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"

	"woodshed/shared/audio"
)

// Rate is the rate the SPA records chunks at.
const Rate = 16000

// PlayingWAV is a 16 kHz mono 16-bit chunk of seconds, silent but for room noise except from
// `from` to `to`, where a bowed-string-like instrument plays a scale of half-second notes.
func PlayingWAV(seconds, from, to float64) []byte {
	x := make([]float32, int(seconds*Rate))
	r := rand.New(rand.NewPCG(7, uint64(seconds*1000+from)))
	for i := range x {
		x[i] = float32(0.001 * r.NormFloat64())
	}
	const note = Rate / 2
	for n, start := 0, int(from*Rate); start < int(to*Rate); n, start = n+1, start+note {
		f := 220 * math.Pow(2, float64(n%12)/12)
		for i := 0; i < note && start+i < len(x) && start+i < int(to*Rate); i++ {
			t := float64(i) / Rate
			env := math.Min(1, t*50) * math.Exp(-t*1.5)
			v := 0.0
			for h := 1.0; h <= 6; h++ {
				v += math.Sin(2*math.Pi*f*h*t*(1+0.003*math.Sin(2*math.Pi*5*t))) / h
			}
			x[start+i] += float32(0.3 * env * v)
		}
	}
	var b bytes.Buffer
	if err := audio.WriteWAV(&b, audio.WAVSpec{SampleRate: Rate, Channels: 1, BitDepth: 16}, x); err != nil {
		panic(err) // a fixed, valid spec: cannot fail
	}
	return b.Bytes()
}

// HeaderWAV builds a RIFF/WAVE file by hand, for encodings the writer refuses to produce: fmt
// chunk with the given tag and bit depth, an optional LIST chunk, then data.
func HeaderWAV(formatTag uint16, channels, rate, bits int, list []byte, data []byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	blockAlign := channels * ((bits + 7) / 8)
	fmtChunk := new(bytes.Buffer)
	_ = binary.Write(fmtChunk, le, struct {
		Tag, Channels   uint16
		Rate, ByteRate  uint32
		Align, BitDepth uint16
	}{formatTag, uint16(channels), uint32(rate), uint32(rate * blockAlign), uint16(blockAlign), uint16(bits)})
	body := new(bytes.Buffer)
	body.WriteString("WAVE")
	writeChunk(body, "fmt ", fmtChunk.Bytes())
	if list != nil {
		writeChunk(body, "LIST", list)
	}
	writeChunk(body, "data", data)
	b.WriteString("RIFF")
	_ = binary.Write(&b, le, uint32(body.Len()))
	b.Write(body.Bytes())
	return b.Bytes()
}

func writeChunk(b *bytes.Buffer, id string, data []byte) {
	b.WriteString(id)
	_ = binary.Write(b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	if len(data)%2 == 1 {
		b.WriteByte(0)
	}
}

// The bad files of the pipeline's tests.
var (
	NotWAV = []byte("ID3\x03\x00\x00\x00\x00\x00\x00 this is an MP3 tag, then no audio at all, certainly no RIFF header")
	// Empty: a valid header (with an INFO list so it is longer than 44 bytes) and no samples.
	Empty = HeaderWAV(1, 1, Rate, 16, []byte("INFOISFT\x06\x00\x00\x00tests\x00"), nil)
	// TwelveBit: 12-bit PCM, which no recorder the SPA uses writes.
	TwelveBit = HeaderWAV(1, 1, Rate, 12, nil, make([]byte, 2*Rate))
	// ADPCM: Microsoft ADPCM (format tag 2), compressed.
	ADPCM = HeaderWAV(2, 1, Rate, 4, nil, make([]byte, Rate))
)

// Truncated is a WAV whose data chunk stops long before its header says.
func Truncated() []byte {
	w := PlayingWAV(10, 0, 10)
	return w[:len(w)/3]
}
