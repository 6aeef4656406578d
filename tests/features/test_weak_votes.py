"""The weak_votes feature: labelling-function votes as features."""

from __future__ import annotations


def test_weak_votes_feature_signs_votes_and_keeps_pairs_seen_in_training(write_lf_file):
    from didgah.features.weak_votes import WeakVotes
    from didgah.text.normalization import normalize

    lf_file = write_lf_file("""
labels: [security, refugees]
functions:
  - {name: attack, type: lexicon, labels: [security], vote: positive, phrases: [حمله]}
  - {name: sport, type: lexicon, labels: [security, refugees], vote: negative, phrases: [فوتبال]}
  - {name: camp, type: lexicon, labels: [refugees], vote: positive, phrases: [اردوگاه]}
""")
    train = [normalize(t) for t in ["حمله به پاسگاه مرزی", "بازی فوتبال دیروز", "خبر اقتصادی"]]
    feature = WeakVotes(functions=str(lf_file)).fit(train)
    assert feature.pairs_.tolist() == ["attack:security", "sport:security", "sport:refugees"]
    out = feature.transform(train + [normalize("اردوگاه آوارگان پس از حمله")]).toarray()
    assert out.tolist() == [[1, 0, 0], [0, -1, -1], [0, 0, 0], [1, 0, 0]]  # 'camp' never voted in training
