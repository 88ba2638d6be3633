package main

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"sort"
)

// note is one MIDI note in seconds.
type note struct {
	start, dur float64
	key, vel   int
}

type instrument struct {
	name, family string
	program      int // GM program; -1 drums (channel 10), -2 our formant singer
	lo, hi       int // playable MIDI range
	poly         bool
}

var instruments = []instrument{
	{"piano", "keyboard", 0, 36, 96, true},
	{"bright_piano", "keyboard", 1, 36, 96, true},
	{"electric_piano", "keyboard", 4, 40, 88, true},
	{"harpsichord", "keyboard", 6, 41, 84, true},
	{"organ", "keyboard", 19, 36, 84, true},
	{"accordion", "keyboard", 21, 53, 81, true},
	{"vibraphone", "mallets", 11, 53, 89, true},
	{"marimba", "mallets", 12, 45, 96, true},
	{"nylon_guitar", "guitar", 24, 40, 79, true},
	{"steel_guitar", "guitar", 25, 40, 79, true},
	{"electric_guitar", "guitar", 27, 40, 84, true},
	{"overdrive_guitar", "guitar", 29, 40, 76, true},
	{"bass_guitar", "bass", 33, 28, 55, false},
	{"violin", "strings", 40, 55, 96, false},
	{"viola", "strings", 41, 48, 84, false},
	{"cello", "strings", 42, 36, 76, false},
	{"contrabass", "strings", 43, 28, 60, false},
	{"pizzicato", "strings", 45, 36, 84, true},
	{"harp", "strings", 46, 36, 91, true},
	{"trumpet", "brass", 56, 55, 82, false},
	{"trombone", "brass", 57, 40, 72, false},
	{"french_horn", "brass", 60, 41, 77, false},
	{"alto_sax", "winds", 65, 49, 81, false},
	{"tenor_sax", "winds", 66, 44, 76, false},
	{"oboe", "winds", 68, 58, 91, false},
	{"bassoon", "winds", 70, 34, 72, false},
	{"clarinet", "winds", 71, 50, 91, false},
	{"flute", "winds", 73, 60, 96, false},
	{"recorder", "winds", 74, 60, 93, false},
	{"harmonica", "winds", 22, 60, 84, false},
	{"choir", "voice", 52, 48, 79, false},
	{"voice_oohs", "voice", 53, 48, 79, false},
	{"singer", "voice", -2, 45, 79, false},
	{"drums", "drums", -1, 35, 81, true},
}

var scales = [][]int{{0, 2, 4, 5, 7, 9, 11}, {0, 2, 3, 5, 7, 8, 10}, {0, 2, 4, 7, 9}, {0, 2, 3, 5, 7, 9, 10}}

func scaleKeys(rng *rand.Rand, in instrument) []int {
	sc := scales[rng.IntN(len(scales))]
	root := in.lo + rng.IntN(12)
	var keys []int
	for o := 0; ; o++ {
		for _, s := range sc {
			k := root + 12*o + s
			if k > in.hi {
				return keys
			}
			keys = append(keys, k)
		}
	}
}

// phrase writes one passage of the given kind starting at t0 and returns its notes and end time.
// Rests inside a phrase stay under a second; longer stops are made by the caller.
func phrase(rng *rand.Rand, in instrument, kind string, t0, maxDur float64) []note {
	beat := 60 / (60 + rng.Float64()*100) // 60–160 bpm
	vel := 50 + rng.IntN(70)
	keys := scaleKeys(rng, in)
	if len(keys) < 5 {
		keys = append(keys, keys...)
	}
	var out []note
	t := t0
	add := func(k int, d, gate float64) {
		v := max(20, min(127, vel+rng.IntN(21)-10))
		out = append(out, note{start: t, dur: d * gate, key: k, vel: v})
	}
	end := t0 + maxDur
	switch kind {
	case "drums":
		pat := rng.IntN(4)
		step := beat / 2
		for i := 0; t < end; i++ {
			if i%8 == 0 || (pat == 1 && i%8 == 5) || (pat == 2 && i%4 == 0) {
				add(36, step, 0.9) // kick
			}
			if i%8 == 4 || (pat == 3 && i%8 == 7 && rng.IntN(2) == 0) {
				add([]int{38, 40}[rng.IntN(2)], step, 0.9) // snare
			}
			if pat != 3 || i%2 == 0 {
				add([]int{42, 42, 44, 46}[rng.IntN(4)], step, 0.5) // hi-hat
			}
			if i%32 == 28 { // fill
				add([]int{45, 47, 48, 50}[rng.IntN(4)], step, 0.9)
			}
			if i%32 == 0 && rng.IntN(2) == 0 {
				add([]int{49, 51, 57}[rng.IntN(3)], step*4, 1) // cymbal
			}
			t += step
		}
	case "scale":
		step := beat * []float64{0.25, 0.5, 1}[rng.IntN(3)]
		i0 := rng.IntN(max(1, len(keys)/3))
		n := min(len(keys)-i0, 8+rng.IntN(8))
		seq := append([]int{}, keys[i0:i0+n]...)
		for i := n - 2; i >= 0; i-- {
			seq = append(seq, keys[i0+i])
		}
		for j := 0; t < end; j++ {
			add(seq[j%len(seq)], step, 0.95)
			t += step
		}
	case "arpeggio", "chords":
		step := beat * []float64{0.5, 1, 2}[rng.IntN(3)]
		for t < end {
			r := rng.IntN(max(1, len(keys)-5))
			chord := []int{keys[r], keys[min(r+2, len(keys)-1)], keys[min(r+4, len(keys)-1)]}
			if kind == "chords" && in.poly {
				for _, k := range chord {
					add(k, step*2, 0.9)
				}
				t += step * 2
				continue
			}
			for _, k := range chord {
				add(k, step/2, 0.9)
				t += step / 2
			}
		}
	default: // melody
		i := rng.IntN(len(keys))
		for t < end {
			d := beat * []float64{0.5, 0.5, 1, 1, 1.5, 2, 3}[rng.IntN(7)]
			add(keys[i], d, 0.85+rng.Float64()*0.15)
			t += d
			if rng.IntN(8) == 0 {
				t += beat * []float64{0.5, 1}[rng.IntN(2)] // a breath or a rest
			}
			i = max(0, min(len(keys)-1, i+rng.IntN(5)-2))
		}
	}
	// Drop notes that start past the passage's end (the last one may ring over).
	for len(out) > 0 && out[len(out)-1].start >= end {
		out = out[:len(out)-1]
	}
	return out
}

// writeMIDI encodes notes as a format-0 standard MIDI file at 120 bpm, 480 ticks a quarter
// (960 ticks a second).
func writeMIDI(notes []note, program int) []byte {
	type ev struct {
		tick int
		data []byte
	}
	var evs []ev
	if program >= 0 {
		evs = append(evs, ev{0, []byte{0xC0, byte(program)}})
	}
	for _, n := range notes {
		st := 0x90
		if program < 0 {
			st = 0x99
		}
		on := int(n.start * 960)
		off := int((n.start + n.dur) * 960)
		if off <= on {
			off = on + 1
		}
		evs = append(evs, ev{on, []byte{byte(st), byte(n.key), byte(n.vel)}})
		evs = append(evs, ev{off, []byte{byte(st - 0x10), byte(n.key), 0}})
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].tick != evs[j].tick {
			return evs[i].tick < evs[j].tick
		}
		return evs[i].data[0]&0xF0 == 0x80 && evs[j].data[0]&0xF0 != 0x80 // note-offs first
	})
	var trk bytes.Buffer
	trk.Write([]byte{0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20}) // tempo 500000 µs
	last := 0
	for _, e := range evs {
		writeVarLen(&trk, e.tick-last)
		last = e.tick
		trk.Write(e.data)
	}
	trk.Write([]byte{0x00, 0xFF, 0x2F, 0x00})
	var f bytes.Buffer
	f.WriteString("MThd")
	_ = binary.Write(&f, binary.BigEndian, []uint32{6})
	_ = binary.Write(&f, binary.BigEndian, []uint16{0, 1, 480})
	f.WriteString("MTrk")
	_ = binary.Write(&f, binary.BigEndian, uint32(trk.Len()))
	f.Write(trk.Bytes())
	return f.Bytes()
}

func writeVarLen(b *bytes.Buffer, v int) {
	var tmp [5]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7F)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7F) | 0x80
	}
	b.Write(tmp[i:])
}
