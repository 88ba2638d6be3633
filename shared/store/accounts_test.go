package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"woodshed/shared/store"
)

func TestNicknameReservation(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	key := "nick" + time.Now().Format("150405.000000")
	until := time.Now().Add(time.Hour)

	if err := st.ReserveNickname(ctx, key, "tok-a", until); err != nil {
		t.Fatal(err)
	}
	if err := st.ReserveNickname(ctx, key, "tok-b", until); !errors.Is(err, store.ErrNicknameTaken) {
		t.Fatalf("second reservation: %v", err)
	}
	// Only the reserving sign-up can release it.
	if err := st.ReleaseNickname(ctx, key, "tok-b"); err != nil {
		t.Fatal(err)
	}
	if err := st.ReserveNickname(ctx, key, "tok-b", until); !errors.Is(err, store.ErrNicknameTaken) {
		t.Fatalf("a foreign release freed the nickname: %v", err)
	}
	if err := st.ReleaseNickname(ctx, key, "tok-a"); err != nil {
		t.Fatal(err)
	}
	if err := st.ReserveNickname(ctx, key, "tok-b", until); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

// An unconfirmed sign-up's nickname frees itself when its reservation lapses, even while the item
// still exists (DynamoDB's TTL deletes late; DynamoDB Local never does).
func TestLapsedReservationIsTakenOver(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	key := "lapse" + time.Now().Format("150405.000000")
	acct := store.Account{UserID: "u-" + key, Email: key + "@example.com", Nickname: key, NicknameKey: key, TimeZone: "UTC", Visibility: "private", CreatedAt: time.Now().UTC()}
	if err := st.ReserveNickname(ctx, key, "old", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAccount(ctx, acct, "old", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := st.ReserveNickname(ctx, key, "new", time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("lapsed reservation not taken over: %v", err)
	}
	// The lapsed sign-up can no longer confirm into the nickname.
	if err := st.ConfirmAccount(ctx, acct.UserID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("confirm after lapse: %v", err)
	}
}

func TestConfirmAccountIsIdempotent(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	key := "conf" + time.Now().Format("150405.000000")
	acct := store.Account{UserID: "u-" + key, Email: key + "@example.com", Nickname: key, NicknameKey: key, TimeZone: "UTC", Visibility: "private", CreatedAt: time.Now().UTC()}
	if err := st.ReserveNickname(ctx, key, "t", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAccount(ctx, acct, "t", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := st.ConfirmAccount(ctx, acct.UserID); err != nil {
			t.Fatalf("confirm #%d: %v", i+1, err)
		}
	}
	// Confirmed: the nickname no longer lapses.
	if err := st.ReserveNickname(ctx, key, "other", time.Now().Add(time.Hour)); !errors.Is(err, store.ErrNicknameTaken) {
		t.Fatalf("confirmed nickname reserved again: %v", err)
	}
}
