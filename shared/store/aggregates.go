package store

import (
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
	"woodshed/shared/timezone"
)

// Attribute names of aggregate items. Per-instrument figures of a day are top-level attributes
// (secPrefix+instrument, cntPrefix+instrument) because ADD works on top-level numbers only.
const (
	attrSeconds  = "practice_seconds"
	attrSessions = "sessions"
	secPrefix    = "sec#"
	cntPrefix    = "cnt#"
)

// contribution is what one session adds to the aggregates. The session item stores it (as
// `counted`), so a later change subtracts exactly what was added before.
type contribution struct {
	Instrument string         `json:"instrument"`
	StartDate  string         `json:"start_date"` // the day the session counts as one session on
	Days       map[string]int `json:"days"`       // local date → practice seconds
}

// contributionOf is what s counts: nothing while active; else its practice seconds spread over
// the local days of the zone it was recorded in, and one session on its start day.
func contributionOf(s practice.Session) *contribution {
	if s.Status == practice.Active || s.EndTime == nil {
		return nil
	}
	loc, err := timezone.Load(s.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	c := &contribution{Instrument: s.Instrument, StartDate: practice.DateOf(s.StartTime, loc), Days: map[string]int{}}
	for _, p := range practice.PlayByLocalDay(s, loc) {
		c.Days[p.Date] += p.Seconds
	}
	return c
}

// dayDelta is the change of one day item.
type dayDelta struct {
	seconds, sessions int
	byInstr           map[string][2]int // instrument → seconds, sessions
}

// aggregateUpdates are the writes that move the aggregates from old to new (either may be nil).
// Items whose figures do not change are left out, so replaying an unchanged state writes nothing.
func (s *Store) aggregateUpdates(userID string, old, new *contribution) []types.TransactWriteItem {
	days := map[string]*dayDelta{}
	type tot struct{ seconds, sessions int }
	instr := map[string]*tot{}
	var total tot
	apply := func(c *contribution, sign int) {
		if c == nil {
			return
		}
		touch := func(date, in string, sec, n int) {
			d := days[date]
			if d == nil {
				d = &dayDelta{byInstr: map[string][2]int{}}
				days[date] = d
			}
			d.seconds += sec
			d.sessions += n
			v := d.byInstr[in]
			d.byInstr[in] = [2]int{v[0] + sec, v[1] + n}
		}
		for date, sec := range c.Days {
			touch(date, c.Instrument, sign*sec, 0)
		}
		touch(c.StartDate, c.Instrument, 0, sign)
		sum := 0
		for _, sec := range c.Days {
			sum += sec
		}
		total.seconds += sign * sum
		total.sessions += sign
		t := instr[c.Instrument]
		if t == nil {
			t = &tot{}
			instr[c.Instrument] = t
		}
		t.seconds += sign * sum
		t.sessions += sign
	}
	apply(old, -1)
	apply(new, 1)

	var out []types.TransactWriteItem
	for _, date := range slices.Sorted(maps.Keys(days)) {
		d := days[date]
		adds := map[string]int{attrSeconds: d.seconds, attrSessions: d.sessions}
		for in, v := range d.byInstr {
			adds[secPrefix+in] = v[0]
			adds[cntPrefix+in] = v[1]
		}
		if u := s.addUpdate(userPK(userID), daySK(date), adds, map[string]string{"date": date}); u != nil {
			out = append(out, *u)
		}
	}
	if u := s.addUpdate(userPK(userID), skTotal, map[string]int{attrSeconds: total.seconds, attrSessions: total.sessions}, nil); u != nil {
		out = append(out, *u)
	}
	for _, in := range slices.Sorted(maps.Keys(instr)) {
		t := instr[in]
		if u := s.addUpdate(userPK(userID), totalInstrumentSK(in), map[string]int{attrSeconds: t.seconds, attrSessions: t.sessions}, map[string]string{"instrument": in}); u != nil {
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

// InstrumentTotal is practice time and session count on one instrument.
type InstrumentTotal struct {
	Instrument      string `json:"instrument"`
	PracticeSeconds int    `json:"practice_seconds"`
	Sessions        int    `json:"sessions"`
}

// Day is the daily aggregate of one local date.
type Day struct {
	Date            string            `json:"date"`
	PracticeSeconds int               `json:"practice_seconds"`
	Sessions        int               `json:"sessions"`
	ByInstrument    []InstrumentTotal `json:"by_instrument"`
}

// Totals are the lifetime figures of a user.
type Totals struct {
	PracticeSeconds int               `json:"practice_seconds"`
	Sessions        int               `json:"sessions"`
	ByInstrument    []InstrumentTotal `json:"by_instrument"`
}

// Days returns the daily aggregates of a user from date `from` to `to` (inclusive, YYYY-MM-DD; an
// empty from means the first day ever), in date order, with one Query. Days whose figures went
// back to zero (their sessions were deleted) are left out.
func (s *Store) Days(ctx context.Context, userID, from, to string) ([]Day, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(userPK(userID)), ":from": str(daySK(from)), ":to": str(daySK(to))},
	}
	var out []Day
	err := s.queryAll(ctx, in, func(item map[string]types.AttributeValue) error {
		d := Day{Date: strings.TrimPrefix(stringAttr(item, attrSK), dayPrefix)}
		d.PracticeSeconds, d.Sessions, d.ByInstrument = figures(item)
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
	t := Totals{ByInstrument: []InstrumentTotal{}}
	err := s.queryAll(ctx, in, func(item map[string]types.AttributeValue) error {
		sec, n := intAttr(item, attrSeconds), intAttr(item, attrSessions)
		if stringAttr(item, attrSK) == skTotal {
			t.PracticeSeconds, t.Sessions = sec, n
		} else if sec != 0 || n != 0 {
			t.ByInstrument = append(t.ByInstrument, InstrumentTotal{Instrument: stringAttr(item, "instrument"), PracticeSeconds: sec, Sessions: n})
		}
		return nil
	})
	if err != nil {
		return Totals{}, fmt.Errorf("totals of %s: %w", userID, err)
	}
	return t, nil
}

// figures reads the totals and per-instrument attributes of a day item.
func figures(item map[string]types.AttributeValue) (seconds, sessions int, by []InstrumentTotal) {
	byName := map[string]*InstrumentTotal{}
	get := func(in string) *InstrumentTotal {
		if byName[in] == nil {
			byName[in] = &InstrumentTotal{Instrument: in}
		}
		return byName[in]
	}
	for k := range item {
		switch {
		case strings.HasPrefix(k, secPrefix):
			get(k[len(secPrefix):]).PracticeSeconds = intAttr(item, k)
		case strings.HasPrefix(k, cntPrefix):
			get(k[len(cntPrefix):]).Sessions = intAttr(item, k)
		}
	}
	by = []InstrumentTotal{}
	for _, in := range slices.Sorted(maps.Keys(byName)) {
		if t := byName[in]; t.PracticeSeconds != 0 || t.Sessions != 0 {
			by = append(by, *t)
		}
	}
	return intAttr(item, attrSeconds), intAttr(item, attrSessions), by
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
