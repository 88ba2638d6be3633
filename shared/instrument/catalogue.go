package instrument

// Family groups catalogue instruments for pickers.
type Family string

// The instrument families.
const (
	Strings    Family = "strings"
	Keyboard   Family = "keyboard"
	Woodwind   Family = "woodwind"
	Brass      Family = "brass"
	Percussion Family = "percussion"
	Voice      Family = "voice"
	Korean     Family = "korean_traditional"
	Other      Family = "other"
)

// Instrument is one catalogue entry with its display names.
type Instrument struct {
	ID      string `json:"id"`
	English string `json:"name_en"`
	Korean  string `json:"name_ko"`
	Family  Family `json:"family"`
}

// catalogue is in picker order: the most common instruments of each family first.
var catalogue = []Instrument{
	{"violin", "Violin", "바이올린", Strings},
	{"viola", "Viola", "비올라", Strings},
	{"cello", "Cello", "첼로", Strings},
	{"double_bass", "Double bass", "더블베이스", Strings},
	{"guitar", "Guitar", "기타", Strings},
	{"electric_guitar", "Electric guitar", "일렉트릭 기타", Strings},
	{"bass_guitar", "Bass guitar", "베이스 기타", Strings},
	{"ukulele", "Ukulele", "우쿨렐레", Strings},
	{"harp", "Harp", "하프", Strings},
	{"piano", "Piano", "피아노", Keyboard},
	{"keyboard", "Keyboard", "키보드", Keyboard},
	{"organ", "Organ", "오르간", Keyboard},
	{"accordion", "Accordion", "아코디언", Keyboard},
	{"flute", "Flute", "플루트", Woodwind},
	{"piccolo", "Piccolo", "피콜로", Woodwind},
	{"recorder", "Recorder", "리코더", Woodwind},
	{"clarinet", "Clarinet", "클라리넷", Woodwind},
	{"oboe", "Oboe", "오보에", Woodwind},
	{"bassoon", "Bassoon", "바순", Woodwind},
	{"saxophone", "Saxophone", "색소폰", Woodwind},
	{"harmonica", "Harmonica", "하모니카", Woodwind},
	{"trumpet", "Trumpet", "트럼펫", Brass},
	{"trombone", "Trombone", "트롬본", Brass},
	{"french_horn", "French horn", "호른", Brass},
	{"tuba", "Tuba", "튜바", Brass},
	{"drums", "Drums", "드럼", Percussion},
	{"percussion", "Percussion", "타악기", Percussion},
	{"marimba", "Marimba", "마림바", Percussion},
	{"voice", "Voice", "보컬", Voice},
	{"gayageum", "Gayageum", "가야금", Korean},
	{"geomungo", "Geomungo", "거문고", Korean},
	{"haegeum", "Haegeum", "해금", Korean},
	{"daegeum", "Daegeum", "대금", Korean},
	{"danso", "Danso", "단소", Korean},
	{"piri", "Piri", "피리", Korean},
	{"janggu", "Janggu", "장구", Korean},
	{"other", "Other", "기타 악기", Other},
}

var byID = func() map[string]Instrument {
	m := make(map[string]Instrument, len(catalogue))
	for _, in := range catalogue {
		m[in.ID] = in
	}
	return m
}()

// Catalogue returns a copy of the catalogue in picker order.
func Catalogue() []Instrument { return append([]Instrument(nil), catalogue...) }

// Lookup returns the catalogue entry of a canonical id.
func Lookup(id string) (Instrument, bool) {
	in, ok := byID[id]
	return in, ok
}
