package app_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"woodshed/shared/blob"
)

type presigned struct {
	Upload struct {
		Method string            `json:"method"`
		URL    string            `json:"url"`
		Fields map[string]string `json:"fields"`
	} `json:"upload"`
	MaxBytes int `json:"max_bytes"`
}

// postForm uploads data as a browser would with the presigned form; it returns the S3 status.
func postForm(t *testing.T, p presigned, contentType string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range p.Upload.Fields {
		if k == "Content-Type" {
			v = contentType
		}
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "photo")
	_, _ = fw.Write(data)
	_ = w.Close()
	resp, err := http.Post(p.Upload.URL, w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// withExif returns a JPEG of w×h with an EXIF block (GPS position and camera, say) inserted.
func withExif(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00"), []byte("GPS 37.5665N 126.9780E secret-camera")...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

func (e env) waitImage(t *testing.T, token, old string) profileView {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var p profileView
		e.must(t, token, "GET", "/users/me", nil, 200, &p)
		if p.ProfileImageURL != old || time.Now().After(deadline) {
			return p
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// uploadsGone waits until the user's uploads have all been deleted by the image Lambda.
func (e env) uploadsGone(t *testing.T, key string) bool {
	t.Helper()
	bs, err := blob.New(context.Background(), e.Stack.Config())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		obj, err := bs.Open(context.Background(), e.Stack.Config().ImagesBucket, key)
		if errors.Is(err, blob.ErrNotFound) {
			return true
		}
		if err == nil {
			obj.Body.Close()
		}
	}
	return false
}

func uploadKey(p presigned) string { return p.Upload.Fields["key"] }

func TestProfileImage(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)

	var p presigned
	e.must(t, u.Token, "POST", "/users/me/upload-image", map[string]string{"content_type": "image/jpeg"}, 201, &p)
	if p.Upload.Method != "POST" || p.MaxBytes != 5<<20 || !strings.HasPrefix(uploadKey(p), "uploads/"+u.ID+"/") {
		t.Fatalf("presigned = %+v", p)
	}
	src := withExif(t, 900, 600)
	if status, body := postForm(t, p, "image/jpeg", src); status/100 != 2 {
		t.Fatalf("upload: %d %s", status, body)
	}
	prof := e.waitImage(t, u.Token, "")
	if prof.ProfileImageURL == "" || !strings.HasSuffix(prof.ProfileImageURL, "-512.jpg") || !strings.Contains(prof.ProfileImageURL, "/images/"+u.ID+"/") {
		t.Fatalf("profile image url = %q", prof.ProfileImageURL)
	}
	for _, c := range []struct {
		url  string
		side int
	}{{prof.ProfileImageURL, 512}, {strings.Replace(prof.ProfileImageURL, "-512.jpg", "-128.jpg", 1), 128}} {
		resp, err := http.Get(c.url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		img, format, err := image.Decode(bytes.NewReader(b))
		if resp.StatusCode != 200 || err != nil || format != "jpeg" || img.Bounds().Dx() != c.side || img.Bounds().Dy() != c.side {
			t.Fatalf("GET %s: %d, %v, %s", c.url, resp.StatusCode, err, format)
		}
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("secret-camera")) {
			t.Errorf("%s keeps the metadata", c.url)
		}
	}
	if !e.uploadsGone(t, uploadKey(p)) {
		t.Errorf("upload %s not deleted", uploadKey(p))
	}

	// A PNG replaces it, and the old files go.
	var p2 presigned
	e.must(t, u.Token, "POST", "/users/me/upload-image", map[string]string{"content_type": "image/png"}, 201, &p2)
	var pngBuf bytes.Buffer
	_ = png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 64, 80)))
	if status, body := postForm(t, p2, "image/png", pngBuf.Bytes()); status/100 != 2 {
		t.Fatalf("png upload: %d %s", status, body)
	}
	prof2 := e.waitImage(t, u.Token, prof.ProfileImageURL)
	if prof2.ProfileImageURL == prof.ProfileImageURL {
		t.Fatal("png did not replace the image")
	}
	if resp, err := http.Get(prof.ProfileImageURL); err != nil || resp.StatusCode != 404 {
		t.Errorf("old image still served: %v %v", resp.StatusCode, err)
	}

	// Not an image: refused by the Lambda, deleted, and the profile keeps its image.
	var p3 presigned
	e.must(t, u.Token, "POST", "/users/me/upload-image", map[string]string{"content_type": "image/png"}, 201, &p3)
	if status, body := postForm(t, p3, "image/png", []byte("#!/bin/sh\necho not a picture\n")); status/100 != 2 {
		t.Fatalf("fake upload: %d %s", status, body)
	}
	if !e.uploadsGone(t, uploadKey(p3)) {
		t.Errorf("refused upload %s not deleted", uploadKey(p3))
	}
	var after profileView
	e.must(t, u.Token, "GET", "/users/me", nil, 200, &after)
	if after.ProfileImageURL != prof2.ProfileImageURL {
		t.Errorf("a non-image changed the profile image: %q", after.ProfileImageURL)
	}

	// Too large, or another type than signed: refused by the storage's policy check.
	var p4 presigned
	e.must(t, u.Token, "POST", "/users/me/upload-image", map[string]string{"content_type": "image/jpeg"}, 201, &p4)
	if status, _ := postForm(t, p4, "image/jpeg", bytes.Repeat([]byte{0xFF}, 5<<20+1)); status/100 == 2 {
		t.Errorf("a 5 MB + 1 upload was accepted")
	}
	if status, _ := postForm(t, p4, "image/gif", src); status/100 == 2 {
		t.Errorf("an upload with another Content-Type was accepted")
	}
	for _, ct := range []string{"image/gif", "image/svg+xml", "text/html", ""} {
		e.refused(t, u.Token, "POST", "/users/me/upload-image", map[string]string{"content_type": ct}, 400, "validation_failed")
	}
}
