package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // decoders for image.Decode
	"io"
	"log/slog"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"woodshed/shared/blob"
	"woodshed/shared/store"
)

// Profile image sizes, in pixels per side, and limits on what is decoded.
var imageSizes = []int{512, 128}

const (
	maxImagePixels = 40_000_000 // decoded size cap, against decompression bombs
	imagePrefix    = "images/"
	jpegQuality    = 85
)

var errNotImage = errors.New("not a JPEG, PNG or WebP image")

// processImages is the image Lambda: for each uploaded profile image it decodes the file,
// refuses what is not a real image, crops it square, writes 512 and 128 px JPEGs (re-encoding
// drops every metadata block), points the profile at the 512 px one, and deletes the old images.
// The upload is deleted in every outcome. A bad file is logged and dropped (no retry helps);
// storage failures are returned so the event is retried.
func (a *App) processImages(ctx context.Context, ev events.S3Event) error {
	var errs []error
	for _, r := range ev.Records {
		key, err := url.QueryUnescape(r.S3.Object.Key)
		if err != nil {
			key = r.S3.Object.Key
		}
		bucket := r.S3.Bucket.Name
		err = a.processImage(ctx, bucket, key)
		if derr := a.blobs.Delete(ctx, bucket, key); derr != nil {
			errs = append(errs, derr)
		}
		switch {
		case errors.Is(err, errNotImage), errors.Is(err, blob.ErrNotFound), errors.Is(err, store.ErrNotFound):
			slog.Warn("profile image refused", "key", key, "reason", err.Error())
		case err != nil:
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (a *App) processImage(ctx context.Context, bucket, key string) error {
	rest, ok := strings.CutPrefix(key, uploadPrefix)
	uid, name, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || uid == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf("key %q is not an upload: %w", key, errNotImage)
	}
	obj, err := a.blobs.Open(ctx, bucket, key)
	if err != nil {
		return err
	}
	defer obj.Body.Close()
	// The POST policy caps uploads; this cap guards against a policy that did not hold.
	data, err := io.ReadAll(io.LimitReader(obj.Body, MaxImageBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	if len(data) > MaxImageBytes {
		return fmt.Errorf("%s is over %d bytes: %w", key, MaxImageBytes, errNotImage)
	}
	out, err := resizeImage(data)
	if err != nil {
		return err
	}
	var keys []string
	for i, size := range imageSizes {
		k := fmt.Sprintf("%s%s/%s-%d.jpg", imagePrefix, uid, name, size)
		if err := a.blobs.Put(ctx, a.cfg.ImagesBucket, k, "image/jpeg", bytes.NewReader(out[i]), int64(len(out[i]))); err != nil {
			return err
		}
		keys = append(keys, k)
	}
	old, err := a.store.SetProfileImage(ctx, uid, a.imageURL(keys[0]))
	if err != nil {
		for _, k := range keys {
			_ = a.blobs.Delete(ctx, a.cfg.ImagesBucket, k)
		}
		return err
	}
	a.deleteOldImages(ctx, uid, old)
	return nil
}

// deleteOldImages removes every size of the image the profile showed before.
func (a *App) deleteOldImages(ctx context.Context, uid, oldURL string) {
	k, ok := strings.CutPrefix(oldURL, a.imageURL(""))
	base, ok2 := strings.CutSuffix(k, fmt.Sprintf("-%d.jpg", imageSizes[0]))
	if oldURL == "" || !ok || !ok2 || !strings.HasPrefix(k, imagePrefix+uid+"/") {
		return
	}
	for _, size := range imageSizes {
		if err := a.blobs.Delete(ctx, a.cfg.ImagesBucket, fmt.Sprintf("%s-%d.jpg", base, size)); err != nil {
			slog.Warn("old profile image not deleted", "key", k, "error", err.Error())
		}
	}
}

// imageURL is the public URL of an object of the images bucket.
func (a *App) imageURL(key string) string {
	return strings.TrimSuffix(a.cfg.ImagesBaseURL, "/") + "/" + key
}

// resizeImage decodes a JPEG, PNG or WebP, crops it to a centred square and returns it as JPEG in
// each of imageSizes (never scaled up beyond the source).
func resizeImage(data []byte) ([][]byte, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNotImage, err)
	}
	if format != "jpeg" && format != "png" && format != "webp" {
		return nil, fmt.Errorf("%w: format %s", errNotImage, format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("%w: %dx%d pixels", errNotImage, cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNotImage, err)
	}
	b := src.Bounds()
	side := min(b.Dx(), b.Dy())
	crop := image.Rect(0, 0, side, side).Add(image.Pt(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2))
	out := make([][]byte, len(imageSizes))
	for i, size := range imageSizes {
		n := min(size, side)
		dst := image.NewRGBA(image.Rect(0, 0, n, n))
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src) // JPEG has no alpha: transparency shows white
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, draw.Over, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return nil, fmt.Errorf("encode %d px: %w", size, err)
		}
		out[i] = buf.Bytes()
	}
	return out, nil
}
