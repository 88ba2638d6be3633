package main

// Sentences a teacher or student might say between passages. The first four of each language
// are for the training split, the fifth for dev and the sixth for test, so no sentence is heard in
// two splits.
var sentences = map[string][]string{
	"en": {
		"Okay, let's take it again from bar twelve, a little slower this time.",
		"That was much better, but watch the intonation on the high notes.",
		"Can you hand me the pencil? I want to mark the fingering here.",
		"I keep rushing the sixteenth notes, so I'll use the metronome.",
		"Let me check the tempo marking first, it says andante.",
		"One more time from the top, and then we'll take a short break.",
	},
	"ko": {
		"자, 열두 번째 마디부터 다시 해 볼게요. 이번에는 조금 천천히.",
		"훨씬 좋아졌어요. 그런데 높은 음에서 음정을 잘 들어 보세요.",
		"연필 좀 주실래요? 여기에 운지를 적어 두고 싶어요.",
		"자꾸 십육분음표가 빨라져서 메트로놈을 켜고 할게요.",
		"먼저 템포 표시를 확인해 볼게요. 안단테라고 되어 있네요.",
		"처음부터 한 번만 더 하고 잠깐 쉬었다가 할게요.",
	},
	"ja": {
		"では、十二小節目からもう一度、今度は少しゆっくり弾きましょう。",
		"ずっと良くなりました。でも高い音の音程に気をつけてください。",
		"鉛筆を取ってもらえますか。ここに指使いを書きたいです。",
		"十六分音符が走ってしまうので、メトロノームを使います。",
		"まずテンポの表示を確認します。アンダンテと書いてあります。",
		"最初からもう一回弾いて、それから少し休憩しましょう。",
	},
	"es": {
		"Bueno, vamos otra vez desde el compás doce, un poco más lento.",
		"Eso estuvo mucho mejor, pero cuida la afinación en las notas agudas.",
		"¿Me pasas el lápiz? Quiero anotar la digitación aquí.",
		"Siempre me apresuro en las semicorcheas, voy a usar el metrónomo.",
		"Primero voy a revisar la indicación de tempo, dice andante.",
		"Una vez más desde el principio y luego descansamos un poco.",
	},
	"de": {
		"Also, noch einmal ab Takt zwölf, diesmal etwas langsamer.",
		"Das war viel besser, aber achte auf die Intonation in der Höhe.",
		"Kannst du mir den Bleistift geben? Ich will den Fingersatz notieren.",
		"Ich werde bei den Sechzehnteln immer schneller, also nehme ich das Metronom.",
		"Ich schaue zuerst nach der Tempoangabe, da steht andante.",
		"Noch einmal von vorne, und dann machen wir eine kurze Pause.",
	},
	"fr": {
		"Bon, on reprend à la mesure douze, un peu plus lentement.",
		"C'était beaucoup mieux, mais attention à la justesse dans l'aigu.",
		"Tu peux me passer le crayon? Je veux noter le doigté ici.",
		"Je presse toujours les doubles croches, je vais prendre le métronome.",
		"Je vérifie d'abord l'indication de tempo, c'est andante.",
		"Encore une fois depuis le début, puis on fait une petite pause.",
	},
	"cmn": {
		"好的，我们从第十二小节再来一遍，这次慢一点。",
		"好多了，但是要注意高音的音准。",
		"你能把铅笔递给我吗？我想在这里标上指法。",
		"我总是把十六分音符弹快，所以我要用节拍器。",
		"我先看一下速度标记，上面写的是行板。",
		"从头再来一遍，然后我们休息一下。",
	},
	"it": {
		"Allora, ripartiamo dalla battuta dodici, un po' più lento.",
		"Molto meglio, ma attenzione all'intonazione sulle note acute.",
		"Mi passi la matita? Voglio segnare la diteggiatura qui.",
		"Corro sempre sulle semicrome, quindi uso il metronomo.",
		"Prima controllo l'indicazione di tempo, dice andante.",
		"Ancora una volta dall'inizio e poi facciamo una pausa.",
	},
	"pt": {
		"Certo, vamos de novo a partir do compasso doze, mais devagar.",
		"Ficou muito melhor, mas cuidado com a afinação nas notas agudas.",
		"Você me passa o lápis? Quero anotar o dedilhado aqui.",
		"Eu sempre corro nas semicolcheias, então vou usar o metrônomo.",
		"Primeiro vou ver a indicação de andamento, diz andante.",
		"Mais uma vez desde o começo e depois a gente descansa.",
	},
	"ru": {
		"Хорошо, давай ещё раз с двенадцатого такта, чуть медленнее.",
		"Стало гораздо лучше, но следи за интонацией на высоких нотах.",
		"Передай мне карандаш, пожалуйста. Я хочу отметить аппликатуру.",
		"Я всё время тороплю шестнадцатые, поэтому включу метроном.",
		"Сначала посмотрю обозначение темпа, тут написано анданте.",
		"Ещё раз с самого начала, а потом сделаем перерыв.",
	},
}

var speechLangs = []string{"en", "ko", "en", "ko", "ja", "es", "de", "fr", "cmn", "it", "pt", "ru"}

var voiceVariants = []string{"", "+m1", "+m3", "+f1", "+f2", "+f3", "+f4", "+m7", "+klatt", "+croak"}

func sentenceFor(split string, lang string, pick int) string {
	s := sentences[lang]
	switch split {
	case "dev":
		return s[4]
	case "test":
		return s[5]
	}
	return s[pick%4]
}
