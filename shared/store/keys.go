package store

import (
	"fmt"
	"time"
)

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
	skActive   = "ACTIVE"
	skManual   = "MANUAL"
	skTotal    = "TOTAL"

	gsiSessions    = "GSI1" // sessions of a user by start time
	gsiInstruments = "GSI2" // sessions of a user and instrument by start time

	// sortTimeLayout is a fixed-width UTC time, so string order in sort keys is time order.
	sortTimeLayout = "2006-01-02T15:04:05Z"
)

func sessionSK(sessionID string) string { return "SESSION#" + sessionID }

// sessionChildPrefix starts the sort key of every item that belongs to one session (its audio
// chunks), so they can be found and deleted with it.
func sessionChildPrefix(sessionID string) string { return "SESSION#" + sessionID + "#" }

// chunkSK is the sort key of a session's audio chunk; the zero-padded index keeps chunks in order
// under the session's child prefix.
func chunkSK(sessionID string, index int) string {
	return sessionChildPrefix(sessionID) + "CHUNK#" + fmt.Sprintf("%05d", index)
}

func chunkPrefix(sessionID string) string { return sessionChildPrefix(sessionID) + "CHUNK#" }

func sessionsGSI1PK(userID string) string { return "SESSIONS#" + userID }

func instrumentGSI2PK(userID, instrument string) string { return "INSTR#" + userID + "#" + instrument }

// sessionTimeKey is the GSI sort key of a session: start time, then id for uniqueness.
func sessionTimeKey(start time.Time, sessionID string) string {
	return sortTime(start) + "#" + sessionID
}

func sortTime(t time.Time) string { return t.UTC().Format(sortTimeLayout) }

func daySK(date string) string { return "DAY#" + date }

const dayPrefix = "DAY#"

func totalInstrumentSK(instrument string) string { return skTotal + "#INSTR#" + instrument }

func userPK(userID string) string { return "USER#" + userID }

func nicknamePK(key string) string { return "NICK#" + key }
