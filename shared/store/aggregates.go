package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"woodshed/shared/practice"
	"woodshed/shared/stats"
)

// Attribute names of aggregate items. Per-instrument figures of a day are top-level attributes
// (secPrefix+instrument, cntPrefix+instrument) because ADD works on top-level numbers only.
const (
	attrSeconds  = "practice_seconds"
	attrSessions = "sessions"
	secPrefix    = "sec#"
	cntPrefix    = "cnt#"
)

// contributionOf is what s counts (stats.ContributionOf). A session whose recorded zone no longer
// loads counts on UTC days rather than not at all.
func contributionOf(s practice.Session) stats.Contribution {
	c, err := stats.ContributionOf(s)
	if err != nil {
		return stats.ContributionIn(s, time.UTC)
	}
	return c
}

// aggregateUpdates are the ADD updates that apply stats.Diff(old, new) to the day items and
// totals. Items that do not change are left out, so an unchanged state writes nothing.
func (s *Store) aggregateUpdates(userID string, old, new stats.Contribution) []types.TransactWriteItem {
	d := stats.Diff(old, new)
	var out []types.TransactWriteItem
	for _, dd := range d.Days {
		adds := map[string]int{attrSeconds: dd.PracticeSeconds, attrSessions: dd.Sessions}
		for _, it := range dd.Instruments {
			adds[secPrefix+it.Instrument] = it.PracticeSeconds
			adds[cntPrefix+it.Instrument] = it.Sessions
		}
		if u := s.addUpdate(userPK(userID), daySK(dd.Date), adds, map[string]string{"date": dd.Date}); u != nil {
			out = append(out, *u)
		}
	}
	if u := s.addUpdate(userPK(userID), skTotal, map[string]int{attrSeconds: d.Total.PracticeSeconds, attrSessions: d.Total.Sessions}, nil); u != nil {
		out = append(out, *u)
	}
	for _, it := range d.Instruments {
		if u := s.addUpdate(userPK(userID), totalInstrumentSK(it.Instrument), map[string]int{attrSeconds: it.PracticeSeconds, attrSessions: it.Sessions}, map[string]string{"instrument": it.Instrument}); u != nil {
			out = append(out, *u)
		}
	}
	return out
}

// addUpdate is an Update that ADDs the non-zero numbers and SETs the labels; nil when every number is 0.
func (s *Store) addUpdate(pk, sk string, adds map[string]int, labels map[string]string) *types.TransactWriteItem {
	names := map[string]string{}
	values := map[string]types.AttributeValue{}
	var addParts, setParts []string
	i := 0
	for _, k := range slices.Sorted(maps.Keys(adds)) {
		if adds[k] == 0 {
			continue
		}
		n, v := "#a"+strconv.Itoa(i), ":a"+strconv.Itoa(i)
		names[n], values[v] = k, num(int64(adds[k]))
		addParts = append(addParts, n+" "+v)
		i++
	}
	if len(addParts) == 0 {
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		n, v := "#l"+strconv.Itoa(i), ":l"+strconv.Itoa(i)
		names[n], values[v] = k, str(labels[k])
		setParts = append(setParts, n+" = "+v)
		i++
	}
	expr := "ADD " + strings.Join(addParts, ", ")
	if len(setParts) > 0 {
		expr += " SET " + strings.Join(setParts, ", ")
	}
	return &types.TransactWriteItem{Update: &types.Update{
		TableName:                 &s.table,
		Key:                       itemKey(pk, sk),
		UpdateExpression:          aws.String(expr),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}}
}

// Totals are the lifetime figures of a user: in total and per instrument (largest first).
type Totals struct {
	stats.Tally
	ByInstrument []stats.InstrumentTally `json:"by_instrument"`
}

// Days returns the daily aggregates of a user from date `from` to `to` (inclusive, YYYY-MM-DD; an
// empty from means the first day ever), in date order, with one Query. Days whose figures went
// back to zero (their sessions were deleted) are left out.
func (s *Store) Days(ctx context.Context, userID, from, to string) ([]stats.Day, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(userPK(userID)), ":from": str(daySK(from)), ":to": str(daySK(to))},
	}
	var out []stats.Day
	err := s.queryAll(ctx, in, func(item map[string]types.AttributeValue) error {
		d := stats.Day{Date: strings.TrimPrefix(stringAttr(item, attrSK), dayPrefix)}
		d.Tally, d.Instruments = figures(item)
		if d.PracticeSeconds != 0 || d.Sessions != 0 {
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("days of %s: %w", userID, err)
	}
	return out, nil
}

// Totals returns the lifetime and per-instrument totals of a user with one Query.
func (s *Store) Totals(ctx context.Context, userID string) (Totals, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :t)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(userPK(userID)), ":t": str(skTotal)},
	}
	t := Totals{ByInstrument: []stats.InstrumentTally{}}
	err := s.queryAll(ctx, in, func(item map[string]types.AttributeValue) error {
		sec, n := intAttr(item, attrSeconds), intAttr(item, attrSessions)
		if stringAttr(item, attrSK) == skTotal {
			t.PracticeSeconds, t.Sessions = sec, n
		} else if sec != 0 || n != 0 {
			t.ByInstrument = append(t.ByInstrument, stats.InstrumentTally{Instrument: stringAttr(item, "instrument"), Tally: stats.Tally{PracticeSeconds: sec, Sessions: n}})
		}
		return nil
	})
	if err != nil {
		return Totals{}, fmt.Errorf("totals of %s: %w", userID, err)
	}
	slices.SortStableFunc(t.ByInstrument, func(a, b stats.InstrumentTally) int { return cmp.Compare(b.PracticeSeconds, a.PracticeSeconds) })
	return t, nil
}

// figures reads the totals and per-instrument attributes of a day item.
func figures(item map[string]types.AttributeValue) (stats.Tally, map[string]stats.Tally) {
	by := map[string]stats.Tally{}
	for k := range item {
		switch {
		case strings.HasPrefix(k, secPrefix):
			t := by[k[len(secPrefix):]]
			t.PracticeSeconds = intAttr(item, k)
			by[k[len(secPrefix):]] = t
		case strings.HasPrefix(k, cntPrefix):
			t := by[k[len(cntPrefix):]]
			t.Sessions = intAttr(item, k)
			by[k[len(cntPrefix):]] = t
		}
	}
	maps.DeleteFunc(by, func(_ string, t stats.Tally) bool { return t.IsZero() })
	return stats.Tally{PracticeSeconds: intAttr(item, attrSeconds), Sessions: intAttr(item, attrSessions)}, by
}

func (s *Store) queryAll(ctx context.Context, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, item := range page.Items {
			if err := each(item); err != nil {
				return err
			}
		}
	}
	return nil
}

func stringAttr(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func intAttr(item map[string]types.AttributeValue, name string) int {
	if v, ok := item[name].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.Atoi(v.Value)
		return n
	}
	return 0
}
