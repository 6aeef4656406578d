
from didgah.features import CharTfidf, WordTfidf


def test_word_tfidf_vocabulary_and_ngrams():
    f = WordTfidf(min_df=1, max_df=1.0, ngram_range=(1, 2)).fit(["حمله به پایگاه", "بازسازی پایگاه"])
    names = set(f.get_feature_names_out())
    assert {"حمله", "پایگاه", "حمله به", "بازسازی پایگاه"} <= names
    X = f.transform(["حمله به پایگاه"])
    assert X.shape == (1, len(names)) and X.nnz > 0


def test_char_tfidf_handles_unseen_words_by_pieces():
    f = CharTfidf(min_df=1, ngram_range=(3, 4)).fit(["تروریست", "فوتبال"])
    assert f.transform(["تروریستی"]).nnz > 0
