package app

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"testing"
)

func TestResizeImage(t *testing.T) {
	webp, err := os.ReadFile("testdata/photo.webp") // 300×200, made with ffmpeg's libwebp
	if err != nil {
		t.Fatal(err)
	}
	var small bytes.Buffer
	_ = png.Encode(&small, image.NewRGBA(image.Rect(0, 0, 40, 90)))
	for name, c := range map[string]struct {
		data  []byte
		sides []int
	}{
		"webp":      {webp, []int{200, 128}},        // cropped to 200×200, never scaled up
		"small png": {small.Bytes(), []int{40, 40}}, // smaller than both sizes
	} {
		out, err := resizeImage(c.data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, b := range out {
			img, format, err := image.Decode(bytes.NewReader(b))
			if err != nil || format != "jpeg" || img.Bounds().Dx() != c.sides[i] || img.Bounds().Dy() != c.sides[i] {
				t.Errorf("%s size %d: %v %s %v", name, imageSizes[i], err, format, img.Bounds())
			}
		}
	}
}

func TestResizeImageRefusals(t *testing.T) {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)))
	good := buf.Bytes()
	truncated := good[:len(good)/2]
	for name, data := range map[string][]byte{
		"text":      []byte("hello, I am not a picture"),
		"empty":     nil,
		"gif":       []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"),
		"truncated": truncated,
		"bomb":      withSize(good, 100_000, 100_000),
	} {
		if _, err := resizeImage(data); !errors.Is(err, errNotImage) {
			t.Errorf("%s: %v, want errNotImage", name, err)
		}
	}
}

// withSize rewrites a PNG's IHDR to claim w×h pixels (with a valid CRC), as a decompression bomb does.
func withSize(p []byte, w, h uint32) []byte {
	out := append([]byte(nil), p...)
	ihdr := out[12 : 12+4+13] // chunk type and data
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	binary.BigEndian.PutUint32(out[12+4+13:], crc32.ChecksumIEEE(ihdr))
	return out
}
