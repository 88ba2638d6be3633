package audio

import (
	"math"
	"testing"
)

func runResampler(r *Resampler, in []float32, chunk int) []float32 {
	var out []float32
	buf := make([]float32, r.MaxOut(chunk)+64)
	for o := 0; o < len(in); o += chunk {
		n := r.Process(in[o:min(o+chunk, len(in))], buf)
		out = append(out, buf[:n]...)
	}
	n := r.Flush(buf)
	return append(out, buf[:n]...)
}

// toneAt measures the amplitude of a tone of hz in x (rate sr) by correlation, skipping the edges.
func toneAt(x []float32, sr int, hz float64) float64 {
	var re, im float64
	a, b := len(x)/10, len(x)*9/10
	for i := a; i < b; i++ {
		w := 2 * math.Pi * hz * float64(i) / float64(sr)
		re += float64(x[i]) * math.Cos(w)
		im += float64(x[i]) * math.Sin(w)
	}
	return 2 * math.Hypot(re, im) / float64(b-a)
}

func TestResampler(t *testing.T) {
	for _, c := range []struct{ in, out int }{{44100, 16000}, {48000, 16000}, {22050, 16000}, {8000, 16000}, {32000, 16000}, {11025, 16000}, {96000, 16000}} {
		in := sine(c.in, c.in, 1000, 0.5) // one second
		got := runResampler(NewResampler(c.in, c.out), in, 1000)
		if d := len(got) - c.out; d < -2 || d > 2 {
			t.Errorf("%d→%d: %d samples for one second", c.in, c.out, len(got))
		}
		if a := toneAt(got, c.out, 1000); math.Abs(a-0.5) > 0.01 {
			t.Errorf("%d→%d: 1 kHz amplitude %.4f, want 0.5", c.in, c.out, a)
		}
		// Timing: output sample i must be the input at time i/out (no lag beyond a sample).
		want := sine(len(got), c.out, 1000, 0.5)
		for i := 200; i < len(got)-200; i += 97 {
			if math.Abs(float64(got[i]-want[i])) > 0.02 {
				t.Fatalf("%d→%d: sample %d = %.3f, want %.3f", c.in, c.out, i, got[i], want[i])
			}
		}
	}
}

func TestResamplerRejectsAliases(t *testing.T) {
	in := sine(48000, 48000, 11000, 0.5) // above the 8 kHz Nyquist of the output
	got := runResampler(NewResampler(48000, 16000), in, 777)
	// 11 kHz would alias to 5 kHz at 16 kHz.
	if a := toneAt(got, 16000, 5000); a > 0.005 {
		t.Fatalf("alias at 5 kHz has amplitude %.4f", a)
	}
}

func TestResamplerPassThrough(t *testing.T) {
	in := sine(1000, 16000, 440, 0.5)
	got := runResampler(NewResampler(16000, 16000), in, 300)
	if len(got) != len(in) || got[123] != in[123] {
		t.Fatalf("pass-through changed the signal")
	}
}
