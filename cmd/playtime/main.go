// Command playtime prints how long the musician played in each WAV file.
//
//	go run ./cmd/playtime [-json] FILE...
//
// With -json it prints one JSON object a line:
// {"file":"a.wav","duration_s":312.4,"play_s":241.0,"segments":[{"start_s":1.2,"end_s":60.3}]}
// It exits non-zero, after the files it could read, when a file cannot be read or analysed.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"woodshed/shared/audio"
)

type line struct {
	File string `json:"file"`
	audio.Result
}

func main() {
	asJSON := flag.Bool("json", false, "print one JSON object per file")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: playtime [-json] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Args(), *asJSON, os.Stdout, os.Stderr))
}

func run(files []string, asJSON bool, stdout, stderr io.Writer) int {
	code := 0
	enc := json.NewEncoder(stdout)
	for _, name := range files {
		res, err := analyzeFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "playtime: %s: %v (%s)\n", name, err, audio.ErrorCode(err))
			code = 1
			continue
		}
		if asJSON {
			if err := enc.Encode(line{File: name, Result: res}); err != nil {
				fmt.Fprintf(stderr, "playtime: %v\n", err)
				return 1
			}
			continue
		}
		pct := 0.0
		if res.DurationS > 0 {
			pct = 100 * res.PlayS / res.DurationS
		}
		fmt.Fprintf(stdout, "%s: played %s of %s (%.0f%%) in %d passage(s)\n",
			name, clock(res.PlayS), clock(res.DurationS), pct, len(res.Segments))
	}
	return code
}

func analyzeFile(name string) (audio.Result, error) {
	f, err := os.Open(name)
	if err != nil {
		return audio.Result{}, err
	}
	defer f.Close()
	return audio.Analyze(f)
}

// clock formats seconds as H:MM:SS or M:SS, as the app shows play time.
func clock(s float64) string {
	t := int(s + 0.5)
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
