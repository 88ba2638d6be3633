package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"woodshed/shared/practice"
	"woodshed/shared/stats"
)

// ErrBadCursor is a list cursor this store did not hand out (or one of another query).
var ErrBadCursor = errors.New("cursor is not valid")

// maxAttempts bounds the optimistic retries of a session change that lost a race.
const maxAttempts = 5

// sessionItem is a session as stored: the domain fields, its current contribution to the
// aggregates and the version every change is conditioned on.
type sessionItem struct {
	practice.Session
	Version int                `json:"version"`
	Counted stats.Contribution `json:"counted"`
}

type activeItem struct {
	SessionID string `json:"session_id"`
}

func (s *Store) sessionAttrs(it sessionItem) (map[string]types.AttributeValue, error) {
	item, err := marshal(it)
	if err != nil {
		return nil, err
	}
	sess := it.Session
	tk := sessionTimeKey(sess.StartTime, sess.SessionID)
	item[attrPK] = str(userPK(sess.UserID))
	item[attrSK] = str(sessionSK(sess.SessionID))
	item[attrGSI1PK] = str(sessionsGSI1PK(sess.UserID))
	item[attrGSI1SK] = str(tk)
	item[attrGSI2PK] = str(instrumentGSI2PK(sess.UserID, sess.Instrument))
	item[attrGSI2SK] = str(tk)
	return item, nil
}

// StartSession stores a new active session. The active marker is written in the same
// transaction with attribute_not_exists, so two concurrent starts cannot both succeed: the
// loser gets practice.ErrActiveExists.
func (s *Store) StartSession(ctx context.Context, sess practice.Session) error {
	item, err := s.sessionAttrs(sessionItem{Session: sess, Version: 1})
	if err != nil {
		return err
	}
	marker, err := marshal(activeItem{SessionID: sess.SessionID})
	if err != nil {
		return err
	}
	marker[attrPK], marker[attrSK] = str(userPK(sess.UserID)), str(skActive)
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: marker, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
	}})
	switch {
	case conditionFailed(err, 0):
		return practice.ErrActiveExists
	case conditionFailed(err, 1):
		return fmt.Errorf("start session %s: id in use: %w", sess.SessionID, ErrConflict)
	case err != nil:
		return fmt.Errorf("start session: %w", err)
	}
	return nil
}

// ActiveSession returns the user's active session, or practice.ErrNotFound.
func (s *Store) ActiveSession(ctx context.Context, userID string) (practice.Session, error) {
	var m activeItem
	if err := s.get(ctx, userPK(userID), skActive, &m); err != nil {
		if errors.Is(err, ErrNotFound) {
			return practice.Session{}, practice.ErrNotFound
		}
		return practice.Session{}, err
	}
	return s.Session(ctx, userID, m.SessionID)
}

// ManualGuard is what a manual entry read before it checked for overlaps: the version of the
// user's manual-entry item, and the entries written in the last few minutes. The start-time
// index that the overlap check queries is eventually consistent, so a just-written entry may
// be missing from it; this item is read consistently, and AddManualSession writes only if its
// version is unchanged, so two overlapping entries sent at once cannot both land.
type ManualGuard struct {
	Version int           `json:"version"`
	Recent  []RecentEntry `json:"recent"`
}

// RecentEntry is a manual entry as the guard keeps it; the reader fetches the session itself,
// which also tells whether it was deleted since.
type RecentEntry struct {
	SessionID string    `json:"session_id"`
	Written   time.Time `json:"written"`
}

// recentFor is how long an entry stays in the guard: far longer than the index lags.
const recentFor = 5 * time.Minute

// ErrGuardChanged means another manual entry landed between reading the guard and writing:
// read it again and check again.
var ErrGuardChanged = errors.New("another manual entry was written meanwhile")

// ManualGuard reads the user's manual-entry item (the zero guard if there is none yet).
func (s *Store) ManualGuard(ctx context.Context, userID string) (ManualGuard, error) {
	var g ManualGuard
	if err := s.get(ctx, userPK(userID), skManual, &g); err != nil && !errors.Is(err, ErrNotFound) {
		return ManualGuard{}, err
	}
	return g, nil
}

// AddManualSession stores a finished session logged by hand and counts it, in one transaction
// that also moves the guard on; it fails with ErrGuardChanged if the guard moved since it was read.
func (s *Store) AddManualSession(ctx context.Context, sess practice.Session, g ManualGuard) error {
	it := sessionItem{Session: sess, Version: 1, Counted: contributionOf(sess)}
	item, err := s.sessionAttrs(it)
	if err != nil {
		return err
	}
	next := ManualGuard{Version: g.Version + 1}
	for _, r := range g.Recent {
		if sess.CreatedAt.Sub(r.Written) < recentFor {
			next.Recent = append(next.Recent, r)
		}
	}
	next.Recent = append(next.Recent, RecentEntry{SessionID: sess.SessionID, Written: sess.CreatedAt})
	guard, err := marshal(next)
	if err != nil {
		return err
	}
	guard[attrPK], guard[attrSK] = str(userPK(sess.UserID)), str(skManual)
	cond := &types.Put{TableName: &s.table, Item: guard, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if g.Version > 0 {
		cond.ConditionExpression = aws.String("version = :v")
		cond.ExpressionAttributeValues = map[string]types.AttributeValue{":v": num(int64(g.Version))}
	}
	ops := []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Put: cond},
	}
	ops = append(ops, s.aggregateUpdates(sess.UserID, stats.Contribution{}, it.Counted)...)
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: ops})
	switch {
	case conditionFailed(err, 0):
		return fmt.Errorf("add session %s: id in use: %w", sess.SessionID, ErrConflict)
	case conditionFailed(err, 1):
		return fmt.Errorf("add session %s: %w", sess.SessionID, ErrGuardChanged)
	case err != nil:
		return fmt.Errorf("add session: %w", err)
	}
	return nil
}

// Session returns one session of the user. Another user's session id is simply not found
// (practice.ErrNotFound), since the key holds the caller's id.
func (s *Store) Session(ctx context.Context, userID, sessionID string) (practice.Session, error) {
	it, err := s.sessionItem(ctx, userID, sessionID)
	return it.Session, err
}

func (s *Store) sessionItem(ctx context.Context, userID, sessionID string) (sessionItem, error) {
	var it sessionItem
	if userID == "" || sessionID == "" {
		return it, practice.ErrNotFound
	}
	err := s.get(ctx, userPK(userID), sessionSK(sessionID), &it)
	if errors.Is(err, ErrNotFound) {
		return it, practice.ErrNotFound
	}
	return it, err
}

// UpdateSession applies change to a session and stores the result together with the change of
// its aggregate contribution, in one transaction conditioned on the version read. When another
// writer got there first it reads again and re-applies change, so change must be a pure function
// of the session. When change leaves the session as it was, nothing is written: replays of the
// same event are free and never count twice. It returns the session as stored afterwards.
func (s *Store) UpdateSession(ctx context.Context, userID, sessionID string, change func(*practice.Session) error) (practice.Session, error) {
	for range maxAttempts {
		old, err := s.sessionItem(ctx, userID, sessionID)
		if err != nil {
			return practice.Session{}, err
		}
		next := old.Session
		next.Timeline = append([]practice.Segment(nil), old.Timeline...)
		if err := change(&next); err != nil {
			return old.Session, err
		}
		if sameSession(old.Session, next) {
			return old.Session, nil
		}
		err = s.writeChange(ctx, old, next)
		if conditionFailed(err, 0) {
			continue // lost a race: read the new version and apply the change to it
		}
		if err != nil {
			return practice.Session{}, err
		}
		return next, nil
	}
	return practice.Session{}, fmt.Errorf("update session %s: %w", sessionID, ErrConflict)
}

func (s *Store) writeChange(ctx context.Context, old sessionItem, next practice.Session) error {
	it := sessionItem{Session: next, Version: old.Version + 1, Counted: contributionOf(next)}
	item, err := s.sessionAttrs(it)
	if err != nil {
		return err
	}
	ops := []types.TransactWriteItem{{Put: &types.Put{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(int64(old.Version))},
	}}}
	if old.Status == practice.Active && next.Status != practice.Active {
		ops = append(ops, s.releaseActive(next.UserID, next.SessionID))
	}
	ops = append(ops, s.aggregateUpdates(next.UserID, old.Counted, it.Counted)...)
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: ops}); err != nil {
		return fmt.Errorf("write session %s: %w", next.SessionID, err)
	}
	return nil
}

// releaseActive deletes the active marker if it still names this session.
func (s *Store) releaseActive(userID, sessionID string) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{
		TableName:                 &s.table,
		Key:                       itemKey(userPK(userID), skActive),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR session_id = :sid"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":sid": str(sessionID)},
	}}
}

// EndSession ends the user's session now (practice.End: capped at 12 h; recorded sessions go to
// analyzing). Ending an ended session returns it unchanged.
func (s *Store) EndSession(ctx context.Context, userID, sessionID string, now time.Time, notes *string) (practice.Session, error) {
	return s.UpdateSession(ctx, userID, sessionID, func(sess *practice.Session) error {
		_, err := practice.End(sess, now, notes)
		return err
	})
}

// SetSessionAnalysis is what the audio pipeline calls whenever the analysis of a session's chunks
// moves on. timeline is every segment of play found so far, in seconds from the session start;
// complete says that every chunk uploaded so far has been analysed. The session's play time and
// timeline follow practice.UpdateAnalysis: once the session has ended and the analysis is
// complete, actual_play_seconds is the measure of the timeline, the status is done, and the
// aggregates move from the duration to the play time — by the difference, in the same
// transaction as the session, conditioned on its version. Calling it again with the same timeline
// changes nothing, so a retried or duplicated event never counts twice; a later call with a
// different timeline (a chunk analysed again) moves the aggregates by the new difference.
// The play time is derived from the timeline, so there is no separate seconds argument.
// Ending a recorded session always leaves it analyzing (practice.End); when every chunk was
// already analysed before the end, the pipeline must still call this once more with
// complete=true (or FinishUnanalysed) after the end, or the session stays analyzing.
// It returns practice.ErrNotFound for an unknown session and practice.ErrNotRecorded for a
// session that was not started with analysis.
func (s *Store) SetSessionAnalysis(ctx context.Context, userID, sessionID string, timeline []practice.Segment, complete bool) (practice.Session, error) {
	return s.UpdateSession(ctx, userID, sessionID, func(sess *practice.Session) error {
		return practice.UpdateAnalysis(sess, timeline, complete)
	})
}

// FinishUnanalysed is what the pipeline calls when a session that waits for analysis can get
// none (every chunk failed or none was uploaded): it becomes done and counts its duration.
func (s *Store) FinishUnanalysed(ctx context.Context, userID, sessionID string) (practice.Session, error) {
	return s.UpdateSession(ctx, userID, sessionID, func(sess *practice.Session) error {
		practice.FinishUnanalysed(sess)
		return nil
	})
}

// DeleteSession deletes a session of the user and takes its contribution off the aggregates, in
// one transaction conditioned on its version; its child items (audio chunks) go afterwards.
// Deleting a session that does not exist is practice.ErrNotFound.
func (s *Store) DeleteSession(ctx context.Context, userID, sessionID string) error {
	for range maxAttempts {
		old, err := s.sessionItem(ctx, userID, sessionID)
		if err != nil {
			return err
		}
		ops := []types.TransactWriteItem{{Delete: &types.Delete{
			TableName:                 &s.table,
			Key:                       itemKey(userPK(userID), sessionSK(sessionID)),
			ConditionExpression:       aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(int64(old.Version))},
		}}}
		if old.Status == practice.Active {
			ops = append(ops, s.releaseActive(userID, sessionID))
		}
		ops = append(ops, s.aggregateUpdates(userID, old.Counted, stats.Contribution{})...)
		_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: ops})
		if conditionFailed(err, 0) {
			continue
		}
		if err != nil {
			return fmt.Errorf("delete session %s: %w", sessionID, err)
		}
		return s.deleteChildren(ctx, userID, sessionID)
	}
	return fmt.Errorf("delete session %s: %w", sessionID, ErrConflict)
}

func (s *Store) deleteChildren(ctx context.Context, userID, sessionID string) error {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(userPK(userID)), ":p": str(sessionChildPrefix(sessionID))},
		ProjectionExpression:      aws.String("PK, SK"),
	}
	err := s.queryAll(ctx, in, func(item map[string]types.AttributeValue) error {
		_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: itemKey(stringAttr(item, attrPK), stringAttr(item, attrSK))})
		return err
	})
	if err != nil {
		return fmt.Errorf("delete items of session %s: %w", sessionID, err)
	}
	return nil
}

// SessionPage is one page of a session list; Next is the opaque cursor of the following page,
// empty on the last one.
type SessionPage struct {
	Sessions []practice.Session `json:"sessions"`
	Next     string             `json:"next"`
}

// ListSessions returns the user's sessions newest first, one Query: GSI1 for all instruments,
// GSI2 for one; start times in [q.From, q.To) when set.
func (s *Store) ListSessions(ctx context.Context, userID string, q practice.ListQuery) (SessionPage, error) {
	index, pkName, skName, pk := gsiSessions, attrGSI1PK, attrGSI1SK, sessionsGSI1PK(userID)
	if q.Instrument != "" {
		index, pkName, skName, pk = gsiInstruments, attrGSI2PK, attrGSI2SK, instrumentGSI2PK(userID, q.Instrument)
	}
	cond := "#pk = :pk"
	values := map[string]types.AttributeValue{":pk": str(pk)}
	switch {
	case !q.From.IsZero() && !q.To.IsZero():
		cond += " AND #sk BETWEEN :from AND :to"
		values[":from"], values[":to"] = str(sortTime(q.From)), str(sortTime(q.To)) // "…Z" sorts before "…Z#id": To is excluded
	case !q.From.IsZero():
		cond += " AND #sk >= :from"
		values[":from"] = str(sortTime(q.From))
	case !q.To.IsZero():
		cond += " AND #sk < :to"
		values[":to"] = str(sortTime(q.To))
	}
	limit := q.Limit
	if limit <= 0 || limit > practice.MaxListLimit {
		limit = practice.DefaultListLimit
	}
	names := map[string]string{"#pk": pkName}
	if strings.Contains(cond, "#sk") {
		names["#sk"] = skName
	}
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	}
	if q.Cursor != "" {
		start, err := decodeCursor(q.Cursor, userID, pkName, skName, pk)
		if err != nil {
			return SessionPage{}, err
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return SessionPage{}, fmt.Errorf("list sessions of %s: %w", userID, err)
	}
	page := SessionPage{Sessions: make([]practice.Session, 0, len(out.Items))}
	for _, item := range out.Items {
		var it sessionItem
		if err := unmarshal(item, &it); err != nil {
			return SessionPage{}, err
		}
		page.Sessions = append(page.Sessions, it.Session)
	}
	if len(out.LastEvaluatedKey) > 0 {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(stringAttr(out.LastEvaluatedKey, skName)))
	}
	return page, nil
}

// decodeCursor rebuilds the exclusive start key from a cursor, which holds only the index sort
// key "<start>#<session id>"; everything else comes from the caller, so a cursor cannot reach
// into another user's items.
func decodeCursor(cursor, userID, pkName, skName, pk string) (map[string]types.AttributeValue, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, ErrBadCursor
	}
	tk := string(raw)
	ts, sid, ok := strings.Cut(tk, "#")
	if !ok || sid == "" || strings.ContainsAny(sid, "#") {
		return nil, ErrBadCursor
	}
	if _, err := time.Parse(sortTimeLayout, ts); err != nil || len(ts) != len(sortTimeLayout) {
		return nil, ErrBadCursor
	}
	return map[string]types.AttributeValue{
		attrPK: str(userPK(userID)), attrSK: str(sessionSK(sid)),
		pkName: str(pk), skName: str(tk),
	}, nil
}

// SessionsStartingIn returns the user's sessions whose start lies in [from, to), oldest first,
// for overlap checks (practice.OverlapWindow): one Query on GSI1.
func (s *Store) SessionsStartingIn(ctx context.Context, userID string, from, to time.Time) ([]practice.Session, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		IndexName:              aws.String(gsiSessions),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(sessionsGSI1PK(userID)), ":from": str(sortTime(from)), ":to": str(sortTime(to)),
		},
	}
	var out []practice.Session
	err := s.queryAll(ctx, in, func(item map[string]types.AttributeValue) error {
		var it sessionItem
		if err := unmarshal(item, &it); err != nil {
			return err
		}
		out = append(out, it.Session)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sessions of %s from %s: %w", userID, sortTime(from), err)
	}
	return out, nil
}

// sameSession reports whether a change left the session as it was.
func sameSession(a, b practice.Session) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}
