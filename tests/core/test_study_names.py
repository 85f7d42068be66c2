"""Issue 17: a default study name says its data once a project holds more than one."""

from hpt_gui.core.study_names import data_stem, default_study_name, same_data


def test_the_stem_of_a_file_and_of_a_demo_set():
    assert data_stem("/home/ann/churn.csv") == "churn"
    assert data_stem("/home/ann/shop 2024.v2.xlsx") == "shop 2024.v2"
    assert data_stem("demo:iris") == "iris"


def test_same_data_is_the_same_contents_when_both_are_known_else_the_same_path():
    assert same_data(("/a/shop.csv", "f1"), ("/b/moved.csv", "f1"))
    assert not same_data(("/a/shop.csv", "f1"), ("/a/shop.csv", "f2"))  # edited since
    assert same_data(("/a/shop.csv", ""), ("/a/shop.csv", "f1"))
    assert not same_data(("/a/shop.csv", ""), ("/a/churn.csv", "f1"))


def test_one_data_file_keeps_the_plain_name():
    shop = ("/a/shop.csv", "f1")
    assert default_study_name("SVC", "grid", shop, []) == "SVC grid"
    assert default_study_name("SVC", "grid", shop, [shop, ("/b/shop.csv", "f1")]) == "SVC grid"


def test_a_second_data_file_is_named_in_the_study_name():
    shop, churn = ("/a/shop.csv", "f1"), ("/a/churn.csv", "f2")
    assert default_study_name("RandomForestClassifier", "random", churn, [shop]) == (
        "RandomForestClassifier random · churn")
    assert default_study_name("SVC", "grid", shop, [shop, churn]) == "SVC grid · shop"
