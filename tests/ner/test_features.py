"""Feature extraction: shapes, affixes, context, cluster and stem lookups."""
from derek.ner.features import FeatureConfig, FeatureExtractor, load_clusters, shape


def test_shape_collapses_character_classes():
    assert shape("Қазақстан") == "Xx"
    assert shape("ҚР") == "X"
    assert shape("2024") == "d"
    assert shape("COVID-19") == "X-d"
    assert shape("5,5") == "d,d"


def test_own_and_context_features():
    fx = FeatureExtractor(FeatureConfig(prefix_max=2, suffix_max=3, window=2))
    feats = fx.sentence(["Ресей", "президенті", "Путин"])
    first, mid = feats[0], feats[1]
    assert "w=ресей" in first and "W=Ресей" in first and "title" in first
    assert {"s1=й", "s2=ей", "s3=сей", "p1=р", "p2=ре"} <= set(first)
    assert "-1:BOUND" in first and "1:w=президенті" in first and "2:w=путин" in first
    assert "-1:w=ресей" in mid and "-1:title" in mid and "1:title" in mid
    assert "2:BOUND" in mid
    # cached per word type, and the cache never leaks one sentence's context into another
    assert fx.sentence(["Ресей"])[0].count("1:BOUND") == 1


def test_clusters_and_stems():
    clusters = load_clusters(["# word\tc64\tc256", "ресей\t3\t17", "путин\t5\t40"])
    cfg = FeatureConfig(clusters=True, cluster_context=True, stems=True)
    fx = FeatureExtractor(cfg, clusters, stem=lambda w: w[:-3] if w.endswith("нің") else w)
    f = fx.sentence(["Ресей", "Путиннің"])
    assert "c0=3" in f[0] and "c1=17" in f[0]
    assert "st=путин" in f[1] and "sf=нің" in f[1] and "sc=40" in f[1]
    assert "c=none" in f[1]  # the suffixed form itself is not in the map
    assert "-1:c=17" in f[1]  # the neighbour's finer cluster at distance 1


def test_sentence_position_and_bigrams():
    fx = FeatureExtractor(FeatureConfig(sentence_position=True, bigrams=True))
    f = fx.sentence(["«", "Самұрық-Қазына", "»"])
    assert "first" in f[0] and "first2" in f[1]
    assert "bl=«|самұрық-қазына" in f[1] and "br=самұрық-қазына|»" in f[1]


def test_org_head_quote_and_capital_run_features():
    from derek.ner.features import is_org_head

    assert is_org_head("министрлігінің") and is_org_head("АҚ") and is_org_head("қоры")
    assert not is_org_head("қорғаныс") and not is_org_head("бала")
    fx = FeatureExtractor(FeatureConfig(org_context=True, quotes=True, cap_runs=True))
    words = "Ауыл шаруашылығы министрлігі мен « Жасыл Дала » ЖШС бүгін".split()
    f = fx.sentence(words)
    assert "oh+2" in f[0] and "title_oh+" in f[0] and "oh0" in f[2] and "oh-1" in f[3]
    assert {"inq", "inq_len=2", "inq_oh"} <= set(f[5]) and "inq" not in f[4] and "inq" not in f[7]
    assert "cr=B2" in f[5] and "cr=E2" in f[6] and "cr=B1" in f[0]
    # the old configs are untouched by the new switches
    plain = FeatureExtractor(FeatureConfig()).sentence(words)
    assert not any(a.startswith(("oh", "inq", "cr=")) for g in plain for a in g)


def test_sentence_extras_are_what_sentence_adds():
    """`sentence_extras` (the batched scorer's per-sentence part) gives each token exactly the
    position, bigram and phrase features `sentence` (what crfsuite reads) gives it, with and
    without a `known` set, which keeps only the bigrams that have a weight."""
    cfg = FeatureConfig(window=1, sentence_position=True, bigrams=True, org_context=True, quotes=True,
                        place_context=True)
    words = ["«", "Қазақтелеком", "»", "АҚ", "Бұл", "туралы", "Алматы", "әуежайында", "хабарлады", "."]
    known = {"bl=бұл|туралы", "br=бұл|туралы", "br=әуежайында|хабарлады", "w=бұл"}
    for k in (None, known):
        fx = FeatureExtractor(cfg, known=k)
        full = fx.sentence(words)
        extras = fx.sentence_extras(words)
        for i, w in enumerate(words):
            base = list(fx.own(w))
            for j, o in enumerate(fx.offsets):
                if 0 <= i + o < len(words):
                    base += fx.ctx(words[i + o])[j]
                elif i + o in (-1, len(words)):
                    base.append(f"{o}:BOUND")
            assert sorted(full[i]) == sorted(base + extras[i]), w
    fx = FeatureExtractor(cfg, known=known)
    extras = fx.sentence_extras(words)
    assert "bl=бұл|туралы" in extras[5] and "br=бұл|туралы" in extras[4]
    assert "br=әуежайында|хабарлады" in extras[7]
    assert not any(f.startswith(("bl=", "br=")) and f[3:] not in {"бұл|туралы", "әуежайында|хабарлады"}
                   for fs in extras for f in fs)
    assert any(f.startswith("ph") for f in extras[6])  # "Алматы әуежайында": a place head ahead
    # replacing `known` is seen (the pair sets are remade from the new one)
    fx.known = {"bl=алматы|әуежайында"}
    assert "bl=алматы|әуежайында" in fx.sentence_extras(words)[7]
