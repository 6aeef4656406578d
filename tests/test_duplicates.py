"""Exact and near duplicates between training and test texts."""

from didgah.duplicates import find_duplicates


def test_duplicates_exact_and_near():
    train = ["نیروهای ارتش سوریه در شمال استان ادلب با گروه‌های مسلح درگیر شدند و چند نفر کشته شدند",
             "قیمت طلا امروز افزایش یافت"]
    test = ["نیروهای ارتش سوریه در شمال استان ادلب با گروه‌های مسلح درگیر شدند و چند نفر کشته شدند.",
            "نیروهای ارتش سوریه در شمال استان ادلب با گروه‌های مسلح درگیر شدند و دو نفر کشته شدند",
            "تیم ملی والیبال به فینال رسید"]
    pairs = find_duplicates(train, test, threshold=0.8)
    assert [(j, i) for j, i, _ in pairs] == [(0, 0), (1, 0)]
    assert pairs[0][2] == 1.0 and 0.8 <= pairs[1][2] < 1.0
