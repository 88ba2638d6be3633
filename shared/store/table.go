package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"woodshed/shared/config"
)

// EnsureTable creates the single table on a local DynamoDB (cfg.DynamoDBEndpoint) with the
// layout infra/ deploys: PK/SK, GSI1 and GSI2 with all attributes projected, on-demand
// billing, TTL on `ttl`. It is idempotent, so every start of the local stack calls it.
func EnsureTable(ctx context.Context, cfg config.Config) error {
	if cfg.DynamoDBEndpoint == "" {
		return errors.New("store: EnsureTable is for the local stack only (DYNAMODB_ENDPOINT is empty)")
	}
	if cfg.TableName == "" {
		return errors.New("store: TABLE_NAME is required")
	}
	db, err := newClient(ctx, cfg)
	if err != nil {
		return err
	}
	name := aws.String(cfg.TableName)

	_, err = db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: name})
	var notFound *types.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		if err := createTable(ctx, db, cfg.TableName); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("store: describe table %s: %w", cfg.TableName, err)
	}

	if err := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 500*time.Millisecond
	}).Wait(ctx, &dynamodb.DescribeTableInput{TableName: name}, 30*time.Second); err != nil {
		return fmt.Errorf("store: wait for table %s: %w", cfg.TableName, err)
	}

	ttl, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: name})
	if err != nil {
		return fmt.Errorf("store: describe ttl of %s: %w", cfg.TableName, err)
	}
	if d := ttl.TimeToLiveDescription; d != nil && d.TimeToLiveStatus == types.TimeToLiveStatusEnabled {
		return nil
	}
	if _, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               name,
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("ttl"), Enabled: aws.Bool(true)},
	}); err != nil {
		return fmt.Errorf("store: enable ttl on %s: %w", cfg.TableName, err)
	}
	return nil
}

func createTable(ctx context.Context, db *dynamodb.Client, table string) error {
	s := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	keys := func(pk, sk string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
		}
	}
	gsi := func(n string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{
			IndexName:  aws.String(n),
			KeySchema:  keys(n+"PK", n+"SK"),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}
	}
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:              aws.String(table),
		BillingMode:            types.BillingModePayPerRequest,
		AttributeDefinitions:   []types.AttributeDefinition{s("PK"), s("SK"), s("GSI1PK"), s("GSI1SK"), s("GSI2PK"), s("GSI2SK")},
		KeySchema:              keys("PK", "SK"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{gsi("GSI1"), gsi("GSI2")},
	})
	var inUse *types.ResourceInUseException
	if errors.As(err, &inUse) {
		return nil // created meanwhile by a concurrent caller
	}
	if err != nil {
		return fmt.Errorf("store: create table %s: %w", table, err)
	}
	return nil
}

// DropTable deletes the table from a local DynamoDB; tests attached to a running local stack
// use it to leave no tables behind.
func DropTable(ctx context.Context, cfg config.Config) error {
	if cfg.DynamoDBEndpoint == "" {
		return errors.New("store: DropTable is for the local stack only (DYNAMODB_ENDPOINT is empty)")
	}
	db, err := newClient(ctx, cfg)
	if err != nil {
		return err
	}
	_, err = db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(cfg.TableName)})
	var notFound *types.ResourceNotFoundException
	if err != nil && !errors.As(err, &notFound) {
		return fmt.Errorf("store: drop table %s: %w", cfg.TableName, err)
	}
	return nil
}
