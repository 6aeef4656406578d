from didgah.text import tokenization as tok
from didgah.text.normalization import ZWNJ
from didgah.text.tokenization import PersianAnalyzer, stem, stopwords, tokenize


def test_one_tokenizer_is_reused():
    tokenize("آزمایش")
    assert tok._word_tokenizer() is tok._word_tokenizer()
    assert tok._word_tokenizer.cache_info().currsize == 1


def test_tokens_keep_zwnj_words_and_split_punctuation():
    assert tokenize(f"گروه{ZWNJ}های مسلح، حمله کردند.") == [f"گروه{ZWNJ}های", "مسلح", "،", "حمله", "کردند", "."]


def test_analyzer_ngrams_stopwords_and_stems():
    analyzer = PersianAnalyzer(ngram_range=(1, 2))
    grams = analyzer("حمله به پایگاه")
    assert "حمله" in grams and "حمله به" in grams and "به پایگاه" in grams
    assert "به" not in PersianAnalyzer(remove_stopwords=True)("حمله به پایگاه")
    assert "به" in stopwords()
    assert stem(f"کتاب{ZWNJ}ها") == "کتاب"
    assert PersianAnalyzer(stem=True)(f"کتاب{ZWNJ}ها") == ["کتاب"]


def test_analyzer_equality_for_clone_checks():
    assert PersianAnalyzer(stem=True) == PersianAnalyzer(stem=True)
    assert PersianAnalyzer(stem=True) != PersianAnalyzer()
