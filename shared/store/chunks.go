package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"woodshed/shared/recording"
)

// Chunks is the store's side of the audio pipeline: one item per uploaded chunk of a session,
// under the session's own sort-key prefix so deleting the session takes them along.
type Chunks struct{ s *Store }

var _ recording.Chunks = Chunks{}

// Chunks returns the chunk items' adapter.
func (s *Store) Chunks() Chunks { return Chunks{s} }

// RequestChunk writes a new chunk, or resets one that is not done, for a new upload.
func (c Chunks) RequestChunk(ctx context.Context, ch recording.Chunk) error {
	item, err := marshal(ch)
	if err != nil {
		return err
	}
	item[attrPK], item[attrSK] = str(userPK(ch.UserID)), str(chunkSK(ch.SessionID, ch.Index))
	_, err = c.s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &c.s.table,
		Item:                      item,
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR #status <> :done"),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":done": str(string(recording.StatusDone))},
	})
	if conditionFailed(err, -1) {
		return recording.ErrAlreadyAnalyzed
	}
	if err != nil {
		return fmt.Errorf("request chunk %s: %w", ch.Ref().AnalysisID(), err)
	}
	return nil
}

// GetChunk reads one chunk of the user: one GetItem on the user's partition.
func (c Chunks) GetChunk(ctx context.Context, ref recording.ChunkRef) (recording.Chunk, error) {
	var ch recording.Chunk
	err := c.s.get(ctx, userPK(ref.UserID), chunkSK(ref.SessionID, ref.Index), &ch)
	if errors.Is(err, ErrNotFound) {
		return ch, recording.ErrChunkNotFound
	}
	return ch, err
}

// SaveResult writes an analysis outcome unless the chunk is done already or gone.
func (c Chunks) SaveResult(ctx context.Context, ch recording.Chunk) error {
	vals, err := marshal(struct {
		Status     recording.Status    `json:":status"`
		Done       recording.Status    `json:":done"`
		Duration   float64             `json:":duration"`
		Play       float64             `json:":play"`
		Segments   []recording.Segment `json:":segments"`
		Error      *recording.Failure  `json:":error"`
		AnalyzedAt *time.Time          `json:":analyzed"`
		Size       int64               `json:":size"`
		CreatedAt  *time.Time          `json:":created"`
		DeletedAt  *time.Time          `json:":deleted"`
	}{ch.Status, recording.StatusDone, ch.DurationS, ch.PlayS, ch.Segments, ch.Error, ch.AnalyzedAt,
		ch.Recording.Size, ch.Recording.CreatedAt, ch.Recording.DeletedAt})
	if err != nil {
		return err
	}
	_, err = c.s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &c.s.table,
		Key:       itemKey(userPK(ch.UserID), chunkSK(ch.SessionID, ch.Index)),
		UpdateExpression: aws.String("SET #status = :status, #duration = :duration, #play = :play, #segments = :segments, " +
			"#error = :error, #analyzed = :analyzed, #rec.#size = :size, #rec.#created = :created, #rec.#deleted = :deleted"),
		ConditionExpression: aws.String("attribute_exists(PK) AND #status <> :done"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#duration": "duration_s", "#play": "play_s",
			"#segments": "segments", "#error": "error", "#analyzed": "analyzed_at", "#rec": "recording",
			"#size": "size", "#created": "created_at", "#deleted": "deleted_at"},
		ExpressionAttributeValues: vals,
	})
	if conditionFailed(err, -1) {
		if _, gerr := c.GetChunk(ctx, ch.Ref()); gerr != nil {
			return gerr
		}
		return recording.ErrAlreadyAnalyzed
	}
	if err != nil {
		return fmt.Errorf("save result of %s: %w", ch.Ref().AnalysisID(), err)
	}
	return nil
}

// MarkDeleted records the deletion time of the chunk's object, once.
func (c Chunks) MarkDeleted(ctx context.Context, ref recording.ChunkRef, at time.Time) error {
	at = at.UTC()
	vals, err := marshal(struct {
		At   time.Time `json:":at"`
		Null string    `json:":null"`
	}{at, "NULL"})
	if err != nil {
		return err
	}
	_, err = c.s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &c.s.table,
		Key:                       itemKey(userPK(ref.UserID), chunkSK(ref.SessionID, ref.Index)),
		UpdateExpression:          aws.String("SET #rec.#deleted = :at"),
		ConditionExpression:       aws.String("attribute_exists(PK) AND (attribute_not_exists(#rec.#deleted) OR attribute_type(#rec.#deleted, :null))"),
		ExpressionAttributeNames:  map[string]string{"#rec": "recording", "#deleted": "deleted_at"},
		ExpressionAttributeValues: vals,
	})
	if conditionFailed(err, -1) {
		return nil // recorded already, or the chunk went with its session
	}
	if err != nil {
		return fmt.Errorf("mark deleted %s: %w", ref.AnalysisID(), err)
	}
	return nil
}

// ListChunks reads every chunk of a session: one Query on the user's partition.
func (c Chunks) ListChunks(ctx context.Context, userID, sessionID string) ([]recording.Chunk, error) {
	var out []recording.Chunk
	err := c.s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:              &c.s.table,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(userPK(userID)), ":p": str(chunkPrefix(sessionID)),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		var ch recording.Chunk
		if err := unmarshal(item, &ch); err != nil {
			return err
		}
		out = append(out, ch)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list chunks of %s: %w", sessionID, err)
	}
	return out, nil
}
