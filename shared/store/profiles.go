package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"woodshed/shared/profile"
)

// profileItem is the profile item as stored: the profile plus what sign-up recorded beside it.
type profileItem struct {
	profile.Profile
	Email       string `json:"email"`
	NicknameKey string `json:"nickname_key"`
}

// Profile returns a user's profile and e-mail address, or ErrNotFound.
func (s *Store) Profile(ctx context.Context, userID string) (profile.Profile, string, error) {
	var it profileItem
	if userID == "" {
		return profile.Profile{}, "", ErrNotFound
	}
	if err := s.get(ctx, userPK(userID), skProfile, &it); err != nil {
		return profile.Profile{}, "", err
	}
	p := it.Profile
	if p.Instruments == nil {
		p.Instruments = []string{}
	}
	if p.Hashtags == nil {
		p.Hashtags = []string{}
	}
	if p.Visibility == "" {
		p.Visibility = profile.Private
	}
	if p.TimeZone == "" {
		p.TimeZone = profile.DefaultTimeZone
	}
	return p, it.Email, nil
}

// UpdateProfile stores the editable fields of next over old (as read). A nickname change moves
// the unique nickname item in the same transaction: the new one is taken with a condition
// (ErrNicknameTaken when someone holds it), the old one released. The profile write is
// conditioned on the nickname read, so two concurrent renames cannot both win (ErrConflict).
func (s *Store) UpdateProfile(ctx context.Context, old, next profile.Profile) error {
	oldKey, newKey := profile.NicknameKey(old.Nickname), profile.NicknameKey(next.Nickname)
	update := &types.Update{
		TableName: &s.table,
		Key:       itemKey(userPK(old.UserID), skProfile),
		UpdateExpression: aws.String("SET nickname = :nick, nickname_key = :key, instruments = :instr, user_type = :ut, " +
			"bio = :bio, hashtags = :tags, time_zone = :tz, visibility = :vis"),
		ConditionExpression: aws.String("attribute_exists(PK) AND nickname = :oldnick"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":nick": str(next.Nickname), ":key": str(newKey), ":instr": strList(next.Instruments),
			":ut": str(string(next.UserType)), ":bio": str(next.Bio), ":tags": strList(next.Hashtags),
			":tz": str(next.TimeZone), ":vis": str(string(next.Visibility)), ":oldnick": str(old.Nickname),
		},
	}
	ops := []types.TransactWriteItem{{Update: update}}
	if newKey != oldKey {
		ops = append(ops,
			types.TransactWriteItem{Put: &types.Put{
				TableName: &s.table,
				Item: map[string]types.AttributeValue{
					attrPK: str(nicknamePK(newKey)), attrSK: str(skNickname), "user_id": str(old.UserID),
				},
				ConditionExpression:       aws.String("attribute_not_exists(PK) OR user_id = :uid OR (attribute_exists(#ttl) AND #ttl < :now)"),
				ExpressionAttributeNames:  map[string]string{"#ttl": attrTTL},
				ExpressionAttributeValues: map[string]types.AttributeValue{":uid": str(old.UserID), ":now": num(time.Now().Unix())},
			}},
			types.TransactWriteItem{Delete: &types.Delete{
				TableName:                 &s.table,
				Key:                       itemKey(nicknamePK(oldKey), skNickname),
				ConditionExpression:       aws.String("attribute_not_exists(PK) OR user_id = :uid"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":uid": str(old.UserID)},
			}},
		)
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: ops})
	switch {
	case conditionFailed(err, 1):
		return ErrNicknameTaken
	case conditionFailed(err, -1):
		return fmt.Errorf("update profile %s: %w", old.UserID, ErrConflict)
	case err != nil:
		return fmt.Errorf("update profile %s: %w", old.UserID, err)
	}
	return nil
}

// SetProfileImage stores the URL of the user's new profile image and returns the previous one
// (so its files can be deleted).
func (s *Store) SetProfileImage(ctx context.Context, userID, url string) (string, error) {
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       itemKey(userPK(userID), skProfile),
		UpdateExpression:          aws.String("SET profile_image_url = :u"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":u": str(url)},
		ReturnValues:              types.ReturnValueUpdatedOld,
	})
	if conditionFailed(err, -1) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("set profile image of %s: %w", userID, err)
	}
	return stringAttr(out.Attributes, "profile_image_url"), nil
}

func strList(v []string) types.AttributeValue {
	l := make([]types.AttributeValue, len(v))
	for i, s := range v {
		l[i] = str(s)
	}
	return &types.AttributeValueMemberL{Value: l}
}

// nicknameItem is the item that holds a nickname: the user it belongs to once sign-up bound it,
// and a TTL while the sign-up is unconfirmed.
type nicknameItem struct {
	UserID string `json:"user_id"`
	TTL    int64  `json:"ttl"`
}

// ProfileByNickname returns the profile of a confirmed account by nickname, matched
// case-insensitively through the nickname item, or ErrNotFound (also for a reservation or a
// sign-up still pending).
func (s *Store) ProfileByNickname(ctx context.Context, nickname string) (profile.Profile, error) {
	key := profile.NicknameKey(nickname)
	if key == "" {
		return profile.Profile{}, ErrNotFound
	}
	var it nicknameItem
	if err := s.get(ctx, nicknamePK(key), skNickname, &it); err != nil {
		return profile.Profile{}, err
	}
	if it.UserID == "" || it.TTL != 0 {
		return profile.Profile{}, ErrNotFound
	}
	p, _, err := s.Profile(ctx, it.UserID)
	return p, err
}
