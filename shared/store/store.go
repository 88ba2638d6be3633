// Package store is the one adapter to DynamoDB and the one place that knows the single table's key
// layout (see TABLE.md). Domain values go in and out; attribute names follow their json tags.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"woodshed/shared/awscfg"
	"woodshed/shared/config"
)

// Errors callers can test with errors.Is.
var (
	ErrNotFound      = errors.New("item not found")
	ErrNicknameTaken = errors.New("nickname is taken")
	ErrConflict      = errors.New("the item changed meanwhile")
)

// Store reads and writes the table.
type Store struct {
	db    *dynamodb.Client
	table string
}

// New builds the store from config.
func New(ctx context.Context, cfg config.Config) (*Store, error) {
	db, err := newClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Store{db: db, table: cfg.TableName}, nil
}

func newClient(ctx context.Context, cfg config.Config) (*dynamodb.Client, error) {
	awsCfg, err := awscfg.Load(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if cfg.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(cfg.DynamoDBEndpoint)
			o.DisableValidateResponseChecksum = true // DynamoDB Local's checksums do not match
		}
	}), nil
}

func marshal(v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) { o.TagKey = "json" })
	if err != nil {
		return nil, fmt.Errorf("marshal item: %w", err)
	}
	return m, nil
}

func unmarshal(m map[string]types.AttributeValue, v any) error {
	if err := attributevalue.UnmarshalMapWithOptions(m, v, func(o *attributevalue.DecoderOptions) { o.TagKey = "json" }); err != nil {
		return fmt.Errorf("unmarshal item: %w", err)
	}
	return nil
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func num(v int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(v)} }

// conditionFailed reports whether err is a failed condition, alone or inside a cancelled transaction
// at the given item index (-1: any item).
func conditionFailed(err error, index int) bool {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return true
	}
	var tc *types.TransactionCanceledException
	if errors.As(err, &tc) {
		for i, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" && (index < 0 || i == index) {
				return true
			}
		}
	}
	return false
}
