// Command longwav writes a long 16 kHz mono 16-bit WAV for the speed and memory benchmarks by
// repeating labelled recordings end to end, streaming (the output is never held in memory).
//
//	go run ./bench/longwav -src shared/audio/testdata -minutes 60 -out .cache/bench-60min.wav
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"

	"woodshed/shared/audio"
)

func main() {
	src := flag.String("src", "shared/audio/testdata", "directory of 16 kHz WAVs to repeat")
	minutes := flag.Float64("minutes", 60, "length of the output")
	out := flag.String("out", ".cache/bench-60min.wav", "output file")
	flag.Parse()
	if err := run(*src, *minutes, *out); err != nil {
		fmt.Fprintln(os.Stderr, "longwav:", err)
		os.Exit(1)
	}
}

func run(src string, minutes float64, out string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.wav"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no WAVs in %s", src)
	}
	sort.Strings(files)
	total := int64(minutes * 60 * audio.AnalysisRate)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	le := binary.LittleEndian
	hdr := make([]byte, 44)
	copy(hdr[0:], "RIFF")
	le.PutUint32(hdr[4:], uint32(36+2*total))
	copy(hdr[8:], "WAVEfmt ")
	le.PutUint32(hdr[16:], 16)
	le.PutUint16(hdr[20:], 1)
	le.PutUint16(hdr[22:], 1)
	le.PutUint32(hdr[24:], audio.AnalysisRate)
	le.PutUint32(hdr[28:], 2*audio.AnalysisRate)
	le.PutUint16(hdr[32:], 2)
	le.PutUint16(hdr[34:], 16)
	copy(hdr[36:], "data")
	le.PutUint32(hdr[40:], uint32(2*total))
	w.Write(hdr)
	buf := make([]float32, 4096)
	var b [2]byte
	for written := int64(0); written < total; {
		for _, name := range files {
			in, err := os.Open(name)
			if err != nil {
				return err
			}
			r, err := audio.NewWAVReader(in)
			if err != nil {
				in.Close()
				return fmt.Errorf("%s: %w", name, err)
			}
			if r.Format().SampleRate != audio.AnalysisRate {
				in.Close()
				return fmt.Errorf("%s: %d Hz, want %d", name, r.Format().SampleRate, audio.AnalysisRate)
			}
			for written < total {
				n, err := r.Read(buf)
				for _, v := range buf[:min(int64(n), total-written)] {
					le.PutUint16(b[:], uint16(int16(math.Round(float64(v)*32767))))
					w.Write(b[:])
				}
				written += int64(n)
				if err == io.EOF {
					break
				}
				if err != nil {
					in.Close()
					return err
				}
			}
			in.Close()
		}
	}
	return w.Flush()
}
