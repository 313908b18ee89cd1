package features_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"bonafide/features"
)

func TestNormalizeText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"punctuation and case", "Nice pic!!", "nice pic"},
		{"emoji dropped", "Nice pic 😍", "nice pic"},
		{"mention dropped", "@maria_k92 nice pic", "nice pic"},
		{"url dropped", "see https://x.example/a?b=1 now", "see now"},
		{"accents folded", "¡Qué HERMOSA!", "que hermosa"},
		{"german sharp s", "Süß und groß", "suss und gross"},
		{"letter runs cut to two", "niiiiice sooooo goooood", "niice soo good"},
		{"hashtag keeps word", "#summer vibes", "summer vibes"},
		{"apostrophe splits", "J'adore ça", "j adore ca"},
		{"skin tone and joiner", "👍🏽 great 👨‍👩‍👧", "great"},
		{"other scripts kept", "Классное ФОТО", "классное фото"},
		{"empty", "", ""},
		{"only emoji", "🔥🔥🔥", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := features.NormalizeText(tc.in); got != tc.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestClassifyText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want features.TextKind
	}{
		// Language-independent.
		{"😍😍😍", features.TextEmojiOnly},
		{"", features.TextEmojiOnly},
		{"!!!", features.TextEmojiOnly},
		{"❤️🔥", features.TextEmojiOnly},
		{"@ana @bea", features.TextMentionOnly},
		{"@ana 😂", features.TextMentionOnly},
		{"10/10", features.TextShort},
		{"好看", features.TextShort},
		{"hahaha", features.TextPraise},
		{"kkkkkk", features.TextPraise},
		// English.
		{"Nice pic!!", features.TextPraise},
		{"so beautiful 😍", features.TextPraise},
		{"Wow amazing", features.TextPraise},
		{"looooove this", features.TextPraise},
		{"great content, check out my page", features.TextPraise},
		// Spanish.
		{"¡Qué linda!", features.TextPraise},
		{"Hermosaaa 😍", features.TextPraise},
		{"me encanta", features.TextPraise},
		// French.
		{"Trop belle ❤️", features.TextPraise},
		{"J'adore", features.TextPraise},
		{"magnifique photo", features.TextPraise},
		// German.
		{"Wunderschön!", features.TextPraise},
		{"sehr schönes Bild", features.TextContent}, // "schönes" is an inflection outside the lexicon
		{"Mega geil", features.TextPraise},
		// Portuguese.
		{"Que lindaaa", features.TextPraise},
		{"Maravilhosa demais", features.TextPraise},
		{"amei kkkk", features.TextPraise},
		// Italian.
		{"Bellissima!!", features.TextPraise},
		{"Che bello", features.TextPraise},
		{"complimenti bravissima", features.TextPraise},
		// Content.
		{"Does it work on oily skin?", features.TextContent},
		{"nice?", features.TextContent},
		{"Where did you buy that jacket", features.TextContent},
		{"Que marca es la base que usas", features.TextContent},
		{"the lighting in the second photo is unreal", features.TextContent},
		{"link https://spam.example", features.TextContent},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := features.ClassifyText(tc.in); got != tc.want {
				t.Errorf("ClassifyText(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestIsGiveaway(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"GIVEAWAY time! Win our new serum", true},
		{"Follow @greenleaf and tag 2 friends to enter", true},
		{"Sorteo 🎁 sigue la cuenta y etiqueta a 3 amigos", true},
		{"Concours ! Abonnez-vous et identifiez 2 amis", true},
		{"Gewinnspiel: folgt uns und markiert eure Freunde", true},
		{"Sorteio! Siga o perfil e marque 3 amigos", true},
		{"Concorso: seguite la pagina e taggate due amici", true},
		{"follow me @a @b", true},
		{"Follow your dreams", false},
		{"Tag yourself in this meme", false},
		{"Morning routine, part 3", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := features.IsGiveaway(tc.in); got != tc.want {
				t.Errorf("IsGiveaway(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestTemplateGroups(t *testing.T) {
	for _, tc := range []struct {
		name  string
		texts []string
		want  []int
	}{
		{"one template in three spellings", []string{"Nice pic!!", "nice pic", "Nice pic 😍"}, []int{0, 0, 0}},
		{"near duplicates", []string{
			"Great content! Check out my page for more",
			"great content, check out my pages for more!!",
			"Where did you buy that jacket",
		}, []int{0, 0, 2}},
		{"distinct texts stay apart", []string{"nice pic", "nice", "the jacket is from a market in Lisbon"}, []int{0, 1, 2}},
		{"group named by its first member", []string{"hello there", "love this", "LOVE THIS!", "love this 💯"}, []int{0, 1, 1, 1}},
		{"emoji sets", []string{"😍😍🔥", "🔥😍", "😍", "", "@ana"}, []int{0, 0, 2, 3, 3}},
		{"none", nil, []int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := features.TemplateGroups(tc.texts)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("TemplateGroups(%q) = %v, want %v", tc.texts, got, tc.want)
			}
		})
	}
}

// TestTemplateGroupsAtScale checks that a bot template with small edits
// is found among many distinct comments, and that distinct comments are
// not merged.
func TestTemplateGroupsAtScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var texts []string
	for i := range 2000 {
		if i%10 == 0 {
			texts = append(texts, fmt.Sprintf("Love this, DM us to collab%s", []string{"", "!", " 💼", "!!"}[i%4]))
			continue
		}
		texts = append(texts, genuineText(rng))
	}
	g := features.TemplateGroups(texts)
	for i := range texts {
		if i%10 == 0 && g[i] != 0 {
			t.Fatalf("template %d (%q) in group %d, want 0", i, texts[i], g[i])
		}
	}
	merged := 0
	for i := range texts {
		if i%10 != 0 && g[i] != i {
			merged++
		}
	}
	// Random word sequences can meet by chance, but hardly ever.
	if merged > len(texts)/100 {
		t.Errorf("%d of %d distinct comments merged", merged, len(texts)*9/10)
	}
}
