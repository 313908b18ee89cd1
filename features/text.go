package features

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A TextKind says why a comment's text is generic, or that it is not.
type TextKind uint8

// Kinds of comment text, from ClassifyText.
const (
	// TextContent says something specific: it has a content word, or asks
	// a question.
	TextContent TextKind = iota
	// TextEmojiOnly has no word and no mention: emoji, punctuation, or
	// nothing at all.
	TextEmojiOnly
	// TextMentionOnly has mentions (and maybe emoji) but no word: the
	// commenter tags friends.
	TextMentionOnly
	// TextPraise is short generic praise whose every word is in the
	// praise lexicon (English, Spanish, French, German, Portuguese,
	// Italian) or is laughter ("haha", "jaja", "kkkk").
	TextPraise
	// TextShort is very short (at most 3 words) with no content word (a
	// word of 4 or more letters outside the lexicon), in any language.
	TextShort
)

// String returns the kind's name.
func (k TextKind) String() string {
	switch k {
	case TextContent:
		return "content"
	case TextEmojiOnly:
		return "emoji-only"
	case TextMentionOnly:
		return "mention-only"
	case TextPraise:
		return "praise"
	case TextShort:
		return "short"
	}
	return "unknown"
}

// Generic reports whether the kind counts as a generic comment.
func (k TextKind) Generic() bool { return k != TextContent }

// scanned is a comment text cut into tokens.
type scanned struct {
	norm     string   // the words joined by single spaces
	words    []string // substrings of norm: lower case, accents folded, letter runs of 3+ cut to 2
	emoji    []rune   // pictographs and other symbols, in order
	mentions int
	urls     int
	question bool
}

// A tokenizer cuts texts into tokens (see scan), reusing its buffers: the
// words and emoji of a result are valid until its next call; norm is a
// fresh string.
type tokenizer struct {
	buf    []byte
	bounds [][2]int
	words  []string
	emoji  []rune
}

// scan cuts s into words, mentions, URLs and emoji, with a tokenizer of its
// own (the result is not shared).
func scan(s string) scanned {
	var sc tokenizer
	return sc.scan(s)
}

// scan cuts s into words, mentions, URLs and emoji. Words are lower case
// with Latin accents folded ("Qué" -> "que"), and a letter repeated 3 or
// more times is cut to 2 ("niiiice" -> "niice"). Apostrophes, hyphens and
// other punctuation separate words; '#' is dropped and its word kept. All
// words share one allocation (norm).
func (sc *tokenizer) scan(s string) scanned {
	var out scanned
	w := sc.buf[:0]
	bounds := sc.bounds[:0]
	emoji := sc.emoji[:0]
	start := -1 // start in w of the word being read, or -1
	var last rune
	run := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		// Each rune is a letter (added to the word), ignored, or a
		// boundary (ends the word).
		letter := rune(-1)
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z':
			if start < 0 && (r|0x20 == 'h' || r|0x20 == 'w') && hasURLPrefix(s[i:]) {
				out.urls++
				i = skipURL(s, i)
				last, run = 0, 0
				continue
			}
			letter = r | 0x20 // lower case; digits are unchanged
		case start < 0 && (r == '@' || r == '＠') && i+size < len(s) && isNameByte(s[i+size]):
			out.mentions++
			i += size
			for i < len(s) && (isNameByte(s[i]) || s[i] == '.') {
				i++
			}
			last, run = 0, 0
			continue
		case r < utf8.RuneSelf:
			if r == '?' {
				out.question = true
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letter = foldRune(r)
		case unicode.Is(unicode.Mn, r) || r == '\u200d' || r == '\ufe0f' || r == '\ufe0e' ||
			r == '\u20e3' || (r >= 0x1f3fb && r <= 0x1f3ff):
			// Combining marks, joiners, variation selectors and skin tones
			// belong to the letter or emoji before them.
			i += size
			continue
		case r == '¿' || r == '？' || r == '؟':
			out.question = true
		case isEmoji(r):
			emoji = append(emoji, r)
		}
		i += size
		if letter < 0 { // a boundary
			if start >= 0 {
				bounds = append(bounds, [2]int{start, len(w)})
				start = -1
			}
			last, run = 0, 0
			continue
		}
		if start < 0 {
			if len(w) > 0 {
				w = append(w, ' ')
			}
			start = len(w)
		}
		n := 1
		if letter == 'ß' {
			letter, n = 's', 2
		}
		for range n {
			if letter == last {
				run++
			} else {
				last, run = letter, 1
			}
			switch {
			case run > 2:
			case letter < utf8.RuneSelf:
				w = append(w, byte(letter))
			default:
				w = utf8.AppendRune(w, letter)
			}
		}
	}
	if start >= 0 {
		bounds = append(bounds, [2]int{start, len(w)})
	}
	out.norm = string(w)
	words := sc.words[:0]
	for _, b := range bounds {
		words = append(words, out.norm[b[0]:b[1]])
	}
	if len(words) > 0 {
		out.words = words
	}
	if len(emoji) > 0 {
		out.emoji = emoji
	}
	sc.buf, sc.bounds, sc.words, sc.emoji = w, bounds, words, emoji
	return out
}

func isNameByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// hasURLPrefix reports whether s starts with http://, https:// or www.,
// in any case.
func hasURLPrefix(s string) bool {
	return len(s) >= 4 && strings.EqualFold(s[:4], "www.") ||
		len(s) >= 7 && strings.EqualFold(s[:7], "http://") ||
		len(s) >= 8 && strings.EqualFold(s[:8], "https://")
}

// skipURL returns the index of the first space at or after i in s, or
// len(s).
func skipURL(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// isEmoji reports whether r is a pictograph or another symbol that people
// use as an emoji (hearts, stars, arrows, dingbats).
func isEmoji(r rune) bool {
	return r >= 0x1f000 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf || r >= 0x2b00 && r <= 0x2bff ||
		r >= 0x2190 && r <= 0x21ff || r == 0x2764 || r == 0x00a9 || r == 0x00ae ||
		unicode.Is(unicode.So, r)
}

// foldRune lowers r and folds the accented Latin letters of the languages
// the lexicon covers to their base letter.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0xc0 {
		return r
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return 'a'
	case 'ç', 'ć', 'č':
		return 'c'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ę', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī':
		return 'i'
	case 'ñ', 'ń':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'ś', 'š':
		return 's'
	case 'ź', 'ż', 'ž':
		return 'z'
	case 'ł':
		return 'l'
	}
	return r
}

// NormalizeText returns the text's words joined by single spaces: lower
// case, Latin accents folded, letters repeated 3 or more times cut to 2,
// with mentions, URLs, emoji and punctuation removed. "Nice pic!!",
// "nice pic" and "Nice pic 😍" all normalise to "nice pic".
func NormalizeText(s string) string {
	return scan(s).norm
}

// templateKey is the exact-match key of a comment: its normalised words,
// or, for a comment without words, a marker and its distinct emoji in
// code-point order (so "😍😍🔥" and "🔥😍" are one template).
func templateKey(t scanned) string {
	if len(t.words) > 0 {
		return t.norm
	}
	e := append([]rune(nil), t.emoji...)
	sort.Slice(e, func(i, j int) bool { return e[i] < e[j] })
	var b strings.Builder
	b.WriteByte(0)
	for i, r := range e {
		if i == 0 || r != e[i-1] {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ClassifyText says whether a comment is generic, and how: emoji-only,
// mention-only, short generic praise in one of the covered languages, or
// very short with no content word. A question is never generic unless it
// has no word at all.
func ClassifyText(s string) TextKind {
	return classify(scan(s))
}

func classify(t scanned) TextKind {
	switch {
	case len(t.words) == 0 && t.urls == 0 && t.mentions == 0:
		return TextEmojiOnly
	case len(t.words) == 0 && t.urls == 0:
		return TextMentionOnly
	case t.question || t.urls > 0:
		return TextContent
	}
	if len(t.words) > 8 {
		return TextContent // too long for praise or for short
	}
	praise, content := true, false
	for _, w := range t.words {
		if isPraiseWord(w) {
			continue
		}
		praise = false
		if utf8.RuneCountInString(w) >= 4 {
			content = true
			break // neither praise nor short
		}
	}
	switch {
	case praise && len(t.words) <= 8:
		return TextPraise
	case !content && len(t.words) <= 3:
		return TextShort
	}
	return TextContent
}

// isPraiseWord reports whether w (as scan returns it) is generic praise,
// filler or laughter. It tries w as is, with every doubled letter made
// single ("soo" -> "so") and with its final letter run made single
// ("bellissimaa" -> "bellissima").
func isPraiseWord(w string) bool {
	if isLaugh(w) || inPraiseLexicon(w) {
		return true
	}
	if !hasDoubleLetter(w) {
		return false
	}
	if s := squeeze(w, false); s != w && inPraiseLexicon(s) {
		return true
	}
	if s := squeeze(w, true); s != w && inPraiseLexicon(s) {
		return true
	}
	return false
}

// hasDoubleLetter reports whether w has the same letter twice in a row.
func hasDoubleLetter(w string) bool {
	var prev rune = -1
	for _, r := range w {
		if r == prev {
			return true
		}
		prev = r
	}
	return false
}

// squeeze makes every run of a repeated letter single, or only the final
// run when tailOnly is set.
func squeeze(w string, tailOnly bool) string {
	r := []rune(w)
	if tailOnly {
		n := len(r)
		for n > 1 && r[n-1] == r[n-2] {
			n--
		}
		return string(r[:n])
	}
	out := r[:0:0]
	for i, c := range r {
		if i == 0 || c != r[i-1] {
			out = append(out, c)
		}
	}
	return string(out)
}

// isLaugh reports whether w is written laughter: "haha", "jajaja",
// "hehe", "ahah", "kkkk", "rsrs", "lol", "lmao", "mdr", "xd".
func isLaugh(w string) bool {
	switch w {
	case "kk", "lol", "lool", "lmao", "lmfao", "rofl", "mdr", "ptdr", "xd", "xdd", "rs", "rsrs", "rsrsrs":
		return true
	}
	if len(w) < 3 {
		return false
	}
	if strings.Trim(w, "k") == "" {
		return true
	}
	vowel, consonant := false, false
	for _, c := range w {
		switch c {
		case 'a', 'e', 'i':
			vowel = true
		case 'h', 'j':
			consonant = true
		default:
			return false
		}
	}
	return vowel && consonant
}

// isGiveawayText reports whether a caption asks people to follow and tag
// friends, or names a giveaway, in one of the covered languages.
func isGiveawayText(t scanned) bool {
	follow, tag := false, t.mentions >= 2
	for _, w := range t.words {
		switch w {
		case "giveaway", "giveaways", "sorteo", "sorteos", "concours", "gewinnspiel", "verlosung",
			"sorteio", "sorteios", "concorso", "rifa", "omaggio":
			return true
		case "follow", "following", "sigue", "siguenos", "seguir", "seguirme", "sigan", "suivez",
			"suivre", "abonnez", "abonne", "abonnes", "folgt", "folge", "folgen", "segue", "siga",
			"sigam", "seguem", "seguite", "seguimi", "seguici", "segui":
			follow = true
		case "tag", "tags", "etiqueta", "etiquetar", "etiquetes", "menciona", "mencionar", "marca",
			"identifie", "identifiez", "tague", "taguez", "tagge", "markiere", "markiert", "marque",
			"marquem", "tagga", "taggate", "menziona", "friends", "friend", "amigos", "amigas", "amis",
			"amies", "freunde", "freundin", "amici", "amiche":
			tag = true
		}
	}
	return follow && tag
}

// IsGiveaway reports whether a caption or comment runs a giveaway: it
// names one ("giveaway", "sorteo", "concours", "Gewinnspiel", "sorteio",
// "concorso") or asks people to follow and tag friends, in English,
// Spanish, French, German, Portuguese or Italian.
func IsGiveaway(text string) bool { return isGiveawayText(scan(text)) }

// inPraiseLexicon reports whether w is a word of short generic praise, a
// filler or a form of address, in English, Spanish, French, German,
// Portuguese or Italian (lower case, accents folded as scan does). A
// switch compiles to a binary search and keeps the table out of package
// state.
func inPraiseLexicon(w string) bool {
	switch w {
	// Language-independent and English.
	case "nice", "pic", "pics", "photo", "photos", "picture", "pictures", "post", "shot", "shots",
		"great", "good", "cool", "awesome", "amazing", "beautiful", "gorgeous", "stunning", "lovely",
		"love", "loved", "loving", "luv", "like", "likes", "it", "this", "that", "so", "very", "really",
		"such", "wow", "omg", "yes", "yess", "yay", "cute", "pretty", "perfect", "perfection", "best",
		"top", "fire", "lit", "dope", "sick", "epic", "goals", "queen", "king", "bro", "girl", "babe",
		"sis", "man", "dude", "beauty", "wonderful", "fantastic", "incredible", "superb", "brilliant",
		"excellent", "outstanding", "fab", "fabulous", "hot", "sexy", "slay", "content", "work", "job",
		"keep", "up", "the", "a", "an", "of", "you", "your", "ur", "u", "are", "is", "looks", "look",
		"looking", "xoxo", "thanks", "thank", "ty", "congrats", "congratulations", "well", "done",
		"adorable", "same", "mood", "vibes", "vibe", "ok", "okay", "and", "my", "i", "im", "me",
		"much", "too", "always", "all", "feed", "page", "account", "profile", "follow", "f4f", "l4l",
		"back", "dm", "check", "out", "go", "wonderfull", "stunner", "legend", "iconic", "icon",
		"insane", "goat", "bae", "wooow", "woow", "damn", "yo", "hey", "hi", "hello", "ily", "lov",
		"gm", "gn", "nyc", "op", "gg", "pro", "real", "true", "facts", "ever", "one", "what", "a1",
		"wonder", "magic", "art", "inspiring", "inspiration", "inspo", "class", "classy", "glow",
		"wowww", "omgg", "yesss", "followme", "followback", "plz", "pls", "please", "on", "to", "in",
		"luck", "fingers", "crossed", "pick", "win", "want", "participating", "chance",
		// Spanish.
		"que", "lindo", "linda", "lindos", "lindas", "hermoso", "hermosa", "hermosos", "hermosas",
		"bonito", "bonita", "precioso", "preciosa", "bello", "bella", "genial", "increible",
		"encanta", "encanto", "gusta", "muy", "tan", "mucho", "buena", "bueno", "foto", "fotos",
		"amo", "te", "lo", "la", "el", "una", "un", "guapa", "guapo", "divina", "divino",
		"espectacular", "excelente", "felicidades", "reina", "amiga", "amigo", "hermano", "crack",
		"chula", "chulo", "mi", "de", "es", "y", "gracias", "bellisima", "bellisimo", "hermosura",
		"belleza", "maravilla", "maravillosa", "maravilloso", "perfecta", "perfecto", "super",
		"guau", "suerte", "participando", "participo", "mama", "mamasita", "preciosidad", "brutal", "idola", "idolo", "tremendo", "tremenda",
		// French.
		"trop", "beau", "belle", "magnifique", "sublime", "superbe", "jolie", "joli", "adore",
		"jadore", "j", "bravo", "canon", "tres", "bien", "ma", "mon", "le", "les", "merci", "bisous",
		"c", "cest", "est", "waouh", "ouah", "incroyable", "parfait", "parfaite", "vraiment", "t",
		"tes", "si", "et", "du", "une", "chouette", "splendide", "magnifiques", "belles", "beaux",
		"ouf", "grave", "trognon", "mignon", "mignonne", "bisou", "coeur", "fort", "tellement",
		// German.
		"schon", "schoen", "sehr", "toll", "wunderschon", "wunderschoen", "hubsch", "huebsch",
		"geil", "mega", "krass", "klasse", "echt", "richtig", "voll", "bild", "liebe", "ich", "das",
		"ist", "wahnsinn", "perfekt", "stark", "spitze", "hammer", "der", "die", "und", "bist",
		"danke", "suss", "suess", "herrlich", "prima", "gut", "bilder", "traumhaft", "wunderbar",
		"sieht", "aus", "einfach", "mal", "wieder", "ganz", "nett", "lieb", "hubsche",
		// Portuguese.
		"lindissima", "lindissimo", "maravilhoso", "maravilhosa", "perfeito", "perfeita", "muito",
		"demais", "amei", "adorei", "incrivel", "show", "arrasou", "arrasa", "diva", "gata", "gato",
		"lindeza", "tao", "sensacional", "massa", "parabens", "uau", "nossa", "e", "o", "meu",
		"minha", "deus", "mto", "mt", "mais", "obrigado", "obrigada", "bom", "boa", "gostei", "vc",
		"voce", "maravilhosos", "fofa", "fofo", "fofura", "linduxa", "delicia",
		// Italian.
		"bellissimo", "bellissima", "bellissime", "bellissimi", "stupendo", "stupenda", "meraviglioso",
		"meravigliosa", "brava", "bravissimo", "bravissima", "complimenti", "che", "molto", "tanto",
		"troppo", "fantastico", "fantastica", "splendido", "splendida", "grande", "mitico", "mitica",
		"carino", "carina", "adoro", "ti", "il", "sei", "sempre", "grazie", "spettacolo",
		"spettacolare", "perfetto", "perfetta", "figo", "figa", "davvero", "ciao", "tesoro",
		"bellezza", "magnifico", "magnifica", "incantevole", "favoloso", "favolosa", "stupende",
		"fantastici", "belli", "bellaa":
		return true
	}
	return false
}
