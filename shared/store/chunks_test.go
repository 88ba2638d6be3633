package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"woodshed/shared/recording"
)

func TestChunkLifecycle(t *testing.T) {
	ctx := context.Background()
	chunks := testStore(t).Chunks()
	user, session := newID(), newID()
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	ref := recording.ChunkRef{UserID: user, SessionID: session, Index: 3}
	ch := recording.Chunk{UserID: user, SessionID: session, Index: 3, Status: recording.StatusPending,
		Recording:   recording.File{Path: ref.ObjectKey(), DeclaredSize: 1920044},
		RequestedAt: now, UploadExpiresAt: now.Add(recording.UploadTTL)}

	if _, err := chunks.GetChunk(ctx, ref); !errors.Is(err, recording.ErrChunkNotFound) {
		t.Fatalf("before: %v", err)
	}
	if err := chunks.SaveResult(ctx, ch); !errors.Is(err, recording.ErrChunkNotFound) {
		t.Fatalf("a result for a chunk nobody requested: %v", err)
	}
	if err := chunks.RequestChunk(ctx, ch); err != nil {
		t.Fatal(err)
	}
	got, err := chunks.GetChunk(ctx, ref)
	if err != nil || got.Status != recording.StatusPending || got.Recording.Path != ref.ObjectKey() || !got.RequestedAt.Equal(now) {
		t.Fatalf("requested: %+v, %v", got, err)
	}

	created, analyzed := now.Add(time.Minute), now.Add(61*time.Second)
	done := got
	done.Status, done.DurationS, done.PlayS = recording.StatusDone, 60, 41.5
	done.Segments = []recording.Segment{{StartS: 1, EndS: 20}, {StartS: 30, EndS: 52.5}}
	done.Recording.Size, done.Recording.CreatedAt, done.AnalyzedAt = 1920044, &created, &analyzed
	if err := chunks.SaveResult(ctx, done); err != nil {
		t.Fatal(err)
	}
	// A second outcome (a duplicate event) does not overwrite a done chunk, nor does a new upload.
	failed := done
	failed.Status, failed.Error = recording.StatusFailed, &recording.Failure{Code: "not_wav", Message: "x"}
	if err := chunks.SaveResult(ctx, failed); !errors.Is(err, recording.ErrAlreadyAnalyzed) {
		t.Fatalf("overwrite of a done chunk: %v", err)
	}
	if err := chunks.RequestChunk(ctx, ch); !errors.Is(err, recording.ErrAlreadyAnalyzed) {
		t.Fatalf("re-request of a done chunk: %v", err)
	}
	deleted := now.Add(62 * time.Second)
	if err := chunks.MarkDeleted(ctx, ref, deleted); err != nil {
		t.Fatal(err)
	}
	if err := chunks.MarkDeleted(ctx, ref, deleted.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = chunks.GetChunk(ctx, ref)
	if err != nil || got.Status != recording.StatusDone || got.PlayS != 41.5 || len(got.Segments) != 2 || got.Error != nil ||
		got.Recording.Size != 1920044 || !got.Recording.CreatedAt.Equal(created) || !got.Recording.DeletedAt.Equal(deleted) {
		t.Fatalf("done: %+v, %v", got, err)
	}

	// Failed chunks may be uploaded again, which resets them.
	other := ch
	other.Index = 0
	if err := chunks.RequestChunk(ctx, other); err != nil {
		t.Fatal(err)
	}
	bad := other
	bad.Status, bad.Error = recording.StatusFailed, &recording.Failure{Code: "truncated", Message: "cut"}
	if err := chunks.SaveResult(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if err := chunks.RequestChunk(ctx, other); err != nil {
		t.Fatalf("re-request of a failed chunk: %v", err)
	}
	if c, _ := chunks.GetChunk(ctx, other.Ref()); c.Status != recording.StatusPending || c.Error != nil {
		t.Fatalf("reset: %+v", c)
	}

	list, err := chunks.ListChunks(ctx, user, session)
	if err != nil || len(list) != 2 || list[0].Index != 0 || list[1].Index != 3 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if list, _ := chunks.ListChunks(ctx, newID(), session); len(list) != 0 {
		t.Fatalf("another user's list: %+v", list)
	}
}
