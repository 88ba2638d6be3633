package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Account is what sign-up records: the profile item's first fields.
type Account struct {
	UserID      string    `json:"user_id"`
	Email       string    `json:"email"`
	Nickname    string    `json:"nickname"`
	NicknameKey string    `json:"nickname_key"`
	TimeZone    string    `json:"time_zone"`
	Visibility  string    `json:"visibility"`
	CreatedAt   time.Time `json:"created_at"`
}

// ReserveNickname holds a nickname (by its case-folded key) for a sign-up in progress until `until`.
// A reservation that expired unconfirmed can be taken over: DynamoDB's TTL deletes lazily, so the
// condition does not rely on the item being gone.
func (s *Store) ReserveNickname(ctx context.Context, key, token string, until time.Time) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			attrPK: str(nicknamePK(key)), attrSK: str(skNickname),
			"token": str(token), attrTTL: num(until.Unix()),
		},
		ConditionExpression:      aws.String("attribute_not_exists(PK) OR (attribute_exists(#ttl) AND #ttl < :now)"),
		ExpressionAttributeNames: map[string]string{"#ttl": attrTTL},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": num(time.Now().Unix()),
		},
	})
	if conditionFailed(err, -1) {
		return ErrNicknameTaken
	}
	if err != nil {
		return fmt.Errorf("reserve nickname: %w", err)
	}
	return nil
}

// ReleaseNickname drops a reservation this sign-up made (token must match), e.g. after the
// account could not be created.
func (s *Store) ReleaseNickname(ctx context.Context, key, token string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &s.table,
		Key:                       itemKey(nicknamePK(key), skNickname),
		ConditionExpression:       aws.String("#token = :token"),
		ExpressionAttributeNames:  map[string]string{"#token": "token"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":token": str(token)},
	})
	if err != nil && !conditionFailed(err, -1) {
		return fmt.Errorf("release nickname: %w", err)
	}
	return nil
}

// CreateAccount binds the reserved nickname to the new user and writes the profile item, in one
// transaction. Both stay pending (expire at `until`) until ConfirmAccount.
func (s *Store) CreateAccount(ctx context.Context, a Account, token string, until time.Time) error {
	item, err := marshal(a)
	if err != nil {
		return err
	}
	item[attrPK] = str(userPK(a.UserID))
	item[attrSK] = str(skProfile)
	item[attrTTL] = num(until.Unix())
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                 &s.table,
			Key:                       itemKey(nicknamePK(a.NicknameKey), skNickname),
			UpdateExpression:          aws.String("SET user_id = :uid"),
			ConditionExpression:       aws.String("#token = :token"),
			ExpressionAttributeNames:  map[string]string{"#token": "token"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":uid": str(a.UserID), ":token": str(token)},
		}},
		{Put: &types.Put{
			TableName:           &s.table,
			Item:                item,
			ConditionExpression: aws.String("attribute_not_exists(PK)"),
		}},
	}})
	switch {
	case conditionFailed(err, 0):
		return ErrNicknameTaken
	case conditionFailed(err, 1):
		return fmt.Errorf("create account: profile exists: %w", ErrConflict)
	case err != nil:
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

// ConfirmAccount makes a pending profile and its nickname permanent. Confirming twice is harmless.
// It returns ErrNotFound when the pending sign-up expired and its nickname went to someone else.
func (s *Store) ConfirmAccount(ctx context.Context, userID string) error {
	a, err := s.GetAccount(ctx, userID)
	if err != nil {
		return err
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                &s.table,
			Key:                      itemKey(userPK(userID), skProfile),
			UpdateExpression:         aws.String("REMOVE #ttl"),
			ConditionExpression:      aws.String("attribute_exists(PK)"),
			ExpressionAttributeNames: map[string]string{"#ttl": attrTTL},
		}},
		{Update: &types.Update{
			TableName:                 &s.table,
			Key:                       itemKey(nicknamePK(a.NicknameKey), skNickname),
			UpdateExpression:          aws.String("REMOVE #ttl, #token"),
			ConditionExpression:       aws.String("user_id = :uid"),
			ExpressionAttributeNames:  map[string]string{"#ttl": attrTTL, "#token": "token"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":uid": str(userID)},
		}},
	}})
	if conditionFailed(err, -1) {
		return fmt.Errorf("confirm account: %w", ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("confirm account: %w", err)
	}
	return nil
}

// GetAccount reads the sign-up fields of a profile item.
func (s *Store) GetAccount(ctx context.Context, userID string) (Account, error) {
	var a Account
	err := s.get(ctx, userPK(userID), skProfile, &a)
	return a, err
}

func (s *Store) get(ctx context.Context, pk, sk string, v any) error {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: itemKey(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("get %s %s: %w", pk, sk, err)
	}
	if out.Item == nil {
		return ErrNotFound
	}
	return unmarshal(out.Item, v)
}

func itemKey(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: str(pk), attrSK: str(sk)}
}
