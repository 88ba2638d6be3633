package store

// Key layout of the single table. Every key is built here and nowhere else; TABLE.md explains
// which access pattern each one serves.
const (
	attrPK     = "PK"
	attrSK     = "SK"
	attrGSI1PK = "GSI1PK"
	attrGSI1SK = "GSI1SK"
	attrGSI2PK = "GSI2PK"
	attrGSI2SK = "GSI2SK"
	attrTTL    = "ttl"

	skProfile  = "PROFILE"
	skNickname = "NICKNAME"
)

func userPK(userID string) string { return "USER#" + userID }

func nicknamePK(key string) string { return "NICK#" + key }
