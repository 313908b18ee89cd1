// Package features reads a creator's history (spec/creator-history.md)
// into a History and turns it into Signals: documented, pure functions of
// the History that say how a real audience differs from a bought one.
//
// Extract computes every signal it can. A signal whose input is missing
// is left out of Signals.Values, and a line of Signals.Warnings says why
// ("comment_diversity: no comments given"); a value is never invented.
// Extract reads no clock (ages are measured from the document's own
// times), keeps no state, does not modify the History, and gives the same
// result for any order of the posts, of the comments within a post, and
// of the follower series. It does no I/O and scores nothing: turning
// signals into an authenticity score, and comparing them with creators of
// the same tier, is the job of package detect.
//
// Other people's comments means every comment whose author is not the
// creator (Creator.ID); the creator's own replies count only for
// reciprocity. Costs below are for n comments, f followers, p posts and s
// series points; the figures come from BenchmarkExtract (docs/signals.md).
//
// # Catalogue
//
// growth_spikes (Signals.Spikes) and growth_spike_share. A spike is a run
// of snapshot intervals whose daily rate (gain divided by the days between
// snapshots, so uneven spacing and missing days do not matter) exceeds the
// median of the neighbouring 7+7 intervals by 5 robust standard deviations
// (1.4826 MAD), is at least 3 times that median, and adds at least
// max(20, 0.2% of the count) followers above the highest count of the 7
// snapshots before it (so regaining a drop is no spike). A spike is organic
// when a post published up to 3 days before it, or during it, explains it:
// a giveaway (caption or the creator's comment asks to follow and tag
// friends, or names a giveaway, in six languages; or most of its comments
// tag friends and say nothing specific), or a viral post: its likes,
// views or comments reached 3 times the creator's median and lie 3 robust
// standard deviations above it on a log scale (a creator whose posts vary
// a lot needs more), and its extra interactions are at least a quarter of
// the spike's extra followers. Otherwise it is suspicious. growth_spike_share
// is the followers gained in suspicious spikes beyond the norm, as a share
// of today's followers. Unit: share, 0 to 1. Needs: at least 8 distinct
// snapshots, and followers > 0. Why: bought followers arrive in a burst
// that no content explains. Cost: O(s) with small windows, plus O(p) per
// spike.
//
// follower_fingerprint (runs in Signals.Fingerprint). In oldest-first
// follower order, a run is a stretch where every 12 consecutive followers
// were created within 21 days of one another, whose median lag from
// creation to follow is at most 120 days (followed_at when given, else the
// latest creation date seen so far in the list, a lower bound on the
// follow), and whose neighbours were created a median of at least 42 days
// away from the run. The value is the share of followers with a known
// created_at that lie in runs. Unit: share, 0 to 1. Needs: created_at on
// at least 24 followers. Why: a bought batch is made in one go and
// delivered at once (Zouzou and Varol 2024, "Unsupervised detection of
// coordinated fake-follower campaigns on social media", EPJ Data Science);
// genuine audiences, even young ones, have creation dates spread out. Cost:
// O(f) (monotonic queues).
//
// comment_diversity. Distinct normalised texts over other people's
// comments (lower case, accents folded, punctuation, emoji and mentions
// dropped; a comment without words is keyed by its set of emoji). Unit:
// share, above 0 to 1. Needs: a comment by someone else. Why: bots and
// comment farms repeat a few texts. Adding a distinct comment never
// lowers it. Cost: O(total text length).
//
// near_duplicate_share. Share of other people's comments that belong to a
// template used at least twice and are specific (not generic, see
// ClassifyText), or generic texts that one account wrote more than once
// (pasted; tagging friends again does not count). Templates are texts
// equal once normalised, or near-duplicates
// by MinHash over character 3-shingles (24 functions, LSH in 8 bands of 3;
// estimated Jaccard at least 0.6). Each text is compared with one
// representative per band bucket, so the cost is linear, never quadratic.
// Generic comments written once each by different people repeat naturally
// ("wow", "nice song") and are left to generic_comment_share. Unit: share,
// 0 to 1. Needs: a comment by someone
// else. Why: templated comments ("Great content! Check my page") are the
// mark of comment bots and paid comment services.
// Cost: O(total text length x 24).
//
// comment_entropy. Shannon entropy of the tokens (normalised words and
// single emoji) of other people's comments. Unit: bits, 0 to log2(tokens);
// it grows with the number of comments, so compare it within a tier.
// Needs: a comment with a word or an emoji. Why: a few repeated words mean
// low entropy. Cost: O(tokens log tokens).
//
// generic_comment_share. Share of other people's comments that are generic
// (see ClassifyText), mention-only comments left out (tagging friends is
// the bulk of giveaway entries, not a reaction): emoji-only, short praise
// whose every word is in a lexicon of English, Spanish, French, German,
// Portuguese and Italian praise, fillers and laughter, or at most 3 words
// with no content word (4 letters or more, outside the lexicon) in any
// language. A
// question is not generic. Unit: share, 0 to 1. Needs: a comment by
// someone else. Why: bought and pod comments say nothing about the post.
// Cost: O(total text length).
//
// self_repeat_share. Share of other people's comments whose text (its
// template group, as for near_duplicate_share) one account wrote two or
// more times, mention-only comments left out. Unit: share, 0 to 1. Needs:
// a comment by someone else. Why: a person reacts to each post; a bot or
// a paid commenter pastes the same text again, whatever its words (it
// needs no lexicon, so an unseen bot bank is found as well). Cost: O(n)
// after the grouping.
//
// pod_score (group in Signals.Pod). The group is the accounts (at least 3)
// that each commented on more of the posts than an organic audience of the
// creator's size would by chance (the audience estimated from commenters
// seen once and twice, Chao1, capped at the follower count; posts per
// account Poisson; at least 3 posts, with fewer than 0.01 chance repeaters
// expected), whose comments' median delay after posting is at most 60
// minutes and at most the first quartile of the rest of the audience's
// delays (a pod comes ahead of the crowd). The value is the share of other people's comments
// that the group wrote; 0 when there is no group. Without comment times
// the group is found by repetition only, with a warning. Unit: share, 0
// to 1. Needs: comments by others on at least 3 posts. Why: engagement
// pods comment on each other's posts at once, to game ranking; bots bought
// for a creator come back to its posts too. Cost: O(n).
//
// reply_reciprocity. Share of the threads that other people started (a
// top-level comment and its replies) in which the creator wrote. Unit:
// share, 0 to 1. Needs: a top-level comment by someone else. Why: real
// creators talk with their audience; an audience of bots gets no answer.
// Cost: O(n log n).
//
// question_reply_share. The same, over threads whose first comment asks a
// question ("?", "¿", "？", "؟"). Unit: share, 0 to 1. Needs: a question
// among other people's top-level comments. Cost: O(n log n).
//
// thread_depth. Mean depth of the threads other people started: 1 for a
// comment without replies, 2 with a reply, and so on (reply_to chains;
// replies to a missing comment and cycles start a thread). Unit: comments,
// 1 or more. Needs: a top-level comment by someone else. Why: bot comments
// start no conversation. Cost: O(n log n).
//
// commenter_follower_share. Share of the distinct authors of other
// people's comments who are in the follower list. Unit: share, 0 to 1.
// Needs: the whole follower list (follower_sample method "all", or no
// method and as many followers as the population). Why: bought comments
// and pods come from accounts that do not follow. Cost: O(n + f).
//
// suspicious_commenter_share. Among distinct commenters whose profile the
// follower model scored (the fake argument of Extract), the share with
// P(fake) above 0.5. Unit: share, 0 to 1. Needs: fake, and at least one
// commenter it knows. Why: bought engagement comes from fake accounts.
// Cost: O(n log n).
//
// engagement_rate. Median over posts with a like count of (likes +
// comments) / followers, where comments is comments_count or else the
// comments listed. Unit: ratio, 0 and up (0.02 is 2%). Needs: a post with
// likes, and followers > 0. Why: bought followers do not engage, so the
// rate falls far below the tier's norm. Cost: O(p log p).
//
// likes_per_comment. Sum of likes over sum of comments, over posts with a
// like count. Unit: likes per comment, 0 and up. Needs: a comment on such
// posts. Why: bought likes without comments (or bought comments without
// likes) move it far from the norm. Cost: O(p).
//
// views_per_like. Sum of views over sum of likes, over posts with both.
// Unit: views per like, 0 and up. Needs: a post with views and likes,
// and likes on them. Why: bought views or bought likes break the usual
// ratio. Cost: O(p).
//
// Signals.CommentMix counts other people's comments for a chart, each in
// the first kind that applies: pod (written by the pod group), emoji-only,
// generic, template (a specific text used more than once), genuine.
package features
