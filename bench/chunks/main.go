// Command chunks measures what cutting recordings into uploaded chunks costs in play time. Each
// file of a dataset split is analysed whole, then as the SPA sends it (consecutive chunks of
// -chunk seconds, each after the first led by the previous -lead seconds, a last piece under
// 0.5 s dropped) and summed the way a session is (recording.Summarize). It prints the mean
// absolute play-time error per file for the whole files, for chunks without a lead and for
// chunks with one.
//
//	go run ./bench/chunks -data .cache/dataset/dev [-chunk 10] [-lead 8]
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"woodshed/shared/audio"
	"woodshed/shared/audio/score"
	"woodshed/shared/recording"
)

func main() {
	data := flag.String("data", ".cache/dataset/dev", "directory of labelled WAVs")
	chunkS := flag.Float64("chunk", 10, "seconds of each chunk's own audio")
	leadS := flag.Float64("lead", 8, "seconds each chunk after the first repeats of the one before")
	flag.Parse()
	if err := run(*data, *chunkS, *leadS); err != nil {
		fmt.Fprintln(os.Stderr, "chunks:", err)
		os.Exit(1)
	}
}

func run(data string, chunkS, leadS float64) error {
	items, err := score.Load(data)
	if err != nil {
		return err
	}
	var sum [3]float64
	var n, cuts int
	for _, it := range items {
		samples, rate, err := score.ReadMono(it.WAV)
		if err != nil {
			return err
		}
		whole, err := analyse(samples, rate)
		if err != nil {
			return fmt.Errorf("%s: %w", it.WAV, err)
		}
		got := [3]float64{whole.PlayS}
		var boundaries int
		for j, lead := range []float64{0, leadS} {
			p, b, err := chunked(samples, rate, chunkS, lead)
			if err != nil {
				return fmt.Errorf("%s: %w", it.WAV, err)
			}
			got[j+1], boundaries = p, b // both runs cut the file alike
		}
		cuts += boundaries
		for j, p := range got {
			if e, ok := score.RelError(it.Label.PlayS, p); ok {
				sum[j] += e
				if j == 0 {
					n++
				}
			}
		}
	}
	if n == 0 {
		return errors.New("no file with enough playing")
	}
	fmt.Printf("%d files, %d chunk boundaries; mean absolute play-time error per file:\n", n, cuts)
	fmt.Printf("  whole files                 %.2f %%\n", 100*sum[0]/float64(n))
	fmt.Printf("  %g s chunks, no lead         %.2f %%\n", chunkS, 100*sum[1]/float64(n))
	fmt.Printf("  %g s chunks, %g s lead        %.2f %%\n", chunkS, leadS, 100*sum[2]/float64(n))
	return nil
}

// chunked analyses samples in chunks as the SPA cuts them and sums them as a session does.
func chunked(samples []float32, rate int, chunkS, leadS float64) (play float64, boundaries int, err error) {
	per, lead, minTail := int(chunkS*float64(rate)), int(leadS*float64(rate)), rate/2
	var chunks []recording.Chunk
	for k, start := 0, 0; start < len(samples); k, start = k+1, start+per {
		end := min(start+per, len(samples))
		if k > 0 && end-start < minTail {
			break
		}
		from := max(0, start-lead)
		res, err := analyse(samples[from:end], rate)
		if err != nil {
			return 0, 0, err
		}
		c := recording.Chunk{Index: k, Status: recording.StatusDone, DurationS: res.DurationS,
			LeadS: float64(start-from) / float64(rate), PlayS: res.PlayS}
		for _, s := range res.Segments {
			c.Segments = append(c.Segments, recording.Segment{StartS: s.StartS, EndS: s.EndS})
		}
		chunks = append(chunks, c)
	}
	return recording.Summarize(chunks, time.Now()).PlayS, len(chunks) - 1, nil
}

func analyse(samples []float32, rate int) (audio.Result, error) {
	b, err := score.EncodeMono(samples, rate)
	if err != nil {
		return audio.Result{}, err
	}
	return audio.Analyze(b)
}
