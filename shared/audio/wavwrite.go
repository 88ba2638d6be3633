package audio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// WAVSpec selects the encoding WriteWAV produces.
type WAVSpec struct {
	SampleRate int
	Channels   int
	BitDepth   int  // 8, 16, 24 or 32
	Float      bool // IEEE float (32 or 64 bits)
	Extensible bool // write WAVE_FORMAT_EXTENSIBLE
}

// WriteWAV encodes interleaved samples in [-1, 1] (clipped) as a WAV file. It serves the dataset
// generator and tests; the analyzer itself only reads.
func WriteWAV(w io.Writer, spec WAVSpec, interleaved []float32) error {
	if spec.Channels < 1 || len(interleaved)%spec.Channels != 0 {
		return fmt.Errorf("write wav: %d samples for %d channels", len(interleaved), spec.Channels)
	}
	bps := spec.BitDepth / 8
	dataBytes := len(interleaved) * bps
	fmtSize := 16
	if spec.Extensible {
		fmtSize = 40
	}
	bw := bufio.NewWriter(w)
	le := binary.LittleEndian
	put32 := func(v uint32) { _ = binary.Write(bw, le, v) }
	put16 := func(v uint16) { _ = binary.Write(bw, le, v) }
	bw.WriteString("RIFF")
	put32(uint32(4 + 8 + fmtSize + 8 + dataBytes + dataBytes%2))
	bw.WriteString("WAVEfmt ")
	put32(uint32(fmtSize))
	tag := uint16(formatPCM)
	if spec.Float {
		tag = formatFloat
	}
	if spec.Extensible {
		put16(formatExtensible)
	} else {
		put16(tag)
	}
	put16(uint16(spec.Channels))
	put32(uint32(spec.SampleRate))
	put32(uint32(spec.SampleRate * spec.Channels * bps))
	put16(uint16(spec.Channels * bps))
	put16(uint16(spec.BitDepth))
	if spec.Extensible {
		put16(22)
		put16(uint16(spec.BitDepth))
		put32(0)
		// KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the tag then a fixed GUID tail.
		put16(tag)
		bw.Write([]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
	}
	bw.WriteString("data")
	put32(uint32(dataBytes))
	var b [8]byte
	for _, s := range interleaved {
		v := math.Max(-1, math.Min(1, float64(s)))
		switch {
		case spec.Float && spec.BitDepth == 64:
			le.PutUint64(b[:], math.Float64bits(v))
		case spec.Float:
			le.PutUint32(b[:], math.Float32bits(float32(v)))
		case spec.BitDepth == 8:
			b[0] = byte(math.Round(v*127) + 128)
		case spec.BitDepth == 16:
			le.PutUint16(b[:], uint16(int16(math.Round(v*32767))))
		case spec.BitDepth == 24:
			x := int32(math.Round(v * 8388607))
			b[0], b[1], b[2] = byte(x), byte(x>>8), byte(x>>16)
		case spec.BitDepth == 32:
			le.PutUint32(b[:], uint32(int32(math.Round(v*2147483647))))
		default:
			return fmt.Errorf("write wav: %d-bit samples", spec.BitDepth)
		}
		bw.Write(b[:bps])
	}
	if dataBytes%2 == 1 {
		bw.WriteByte(0)
	}
	return bw.Flush()
}
