package practice

import (
	"fmt"
	"time"

	"woodshed/shared/valid"
)

// ManualInput is a past session logged by hand. TimeZone is the user's zone now; the entry's days
// are those of that zone.
type ManualInput struct {
	SessionID  string
	UserID     string
	Instrument string
	Notes      string
	TimeZone   string
	StartTime  time.Time
	EndTime    time.Time
}

// NewManual checks a manual entry against the rules and the user's existing sessions (those that
// could overlap it: see OverlapWindow) and returns it as a Done session.
func NewManual(in ManualInput, now time.Time, existing []Session) (Session, error) {
	start, end := wholeSecond(in.StartTime), wholeSecond(in.EndTime)
	if err := ValidateManualTimes(start, end, now); err != nil {
		return Session{}, err
	}
	inst, notes, err := checkCommon(in.Instrument, in.Notes, in.TimeZone)
	if err != nil {
		return Session{}, err
	}
	if err := CheckOverlap(start, end, in.SessionID, existing); err != nil {
		return Session{}, err
	}
	return Session{
		SessionID:       in.SessionID,
		UserID:          in.UserID,
		Instrument:      inst,
		StartTime:       start,
		EndTime:         &end,
		DurationSeconds: int(end.Sub(start) / time.Second),
		Status:          Done,
		Source:          Manual,
		Notes:           notes,
		Timeline:        []Segment{},
		TimeZone:        in.TimeZone,
		CreatedAt:       wholeSecond(now),
	}, nil
}

// ValidateManualTimes checks the time rules of a manual entry (see the package doc).
func ValidateManualTimes(start, end, now time.Time) error {
	switch {
	case start.IsZero():
		return valid.Field("start_time", ErrMissingTime)
	case end.IsZero():
		return valid.Field("end_time", ErrMissingTime)
	case !end.After(start):
		return valid.Field("end_time", fmt.Errorf("%w (start %s, end %s)", ErrEndBeforeStart, rfc(start), rfc(end)))
	case end.After(now.Add(ClockSkew)):
		return valid.Field("end_time", fmt.Errorf("%w (end %s, now %s)", ErrInFuture, rfc(end), rfc(now)))
	case end.Sub(start) > MaxSessionDuration:
		return valid.Field("end_time", fmt.Errorf("%w (%s given)", ErrTooLong, end.Sub(start)))
	case start.Before(EarliestStart):
		return valid.Field("start_time", fmt.Errorf("%w (start %s)", ErrTooOld, rfc(start)))
	}
	return nil
}

// OverlapWindow is the span of start times a session must have to possibly overlap [start, end):
// no session is longer than MaxSessionDuration, so only those starting after start − 12 h and
// before end can. The store queries sessions by start time in [from, to).
func OverlapWindow(start, end time.Time) (from, to time.Time) {
	return start.Add(-MaxSessionDuration), end
}

// CheckOverlap returns an error wrapping ErrOverlap, naming the session, when [start, end)
// overlaps any of existing other than the one with id self. An active session occupies
// start … start + MaxSessionDuration, the most it can come to.
func CheckOverlap(start, end time.Time, self string, existing []Session) error {
	for _, s := range existing {
		if s.SessionID == self && self != "" {
			continue
		}
		oStart, oEnd := Interval(s)
		if start.Before(oEnd) && oStart.Before(end) {
			return fmt.Errorf("%w: session %s from %s to %s", ErrOverlap, s.SessionID, rfc(oStart), rfc(oEnd))
		}
	}
	return nil
}

// Interval is the time a session occupies, for overlap checks.
func Interval(s Session) (start, end time.Time) {
	if s.EndTime != nil {
		return s.StartTime, *s.EndTime
	}
	return s.StartTime, s.StartTime.Add(MaxSessionDuration)
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }
