"""Finding places from what people type; unknown places get suggestions, never a crash."""

from hypothesis import given
from hypothesis import strategies as st

from engage.geo.lookup import SEED
from engage.geo.places import Gazetteer, Place, PlaceNotFound, normalise_postcode

GAZETTEER = Gazetteer.from_files(
    SEED / "places.csv",
    SEED / "postcode_districts.csv",
    lambda pc: (52.41, -0.79) if pc == "NN146AB" else None,
)


def test_towns_are_found_whatever_the_case():
    place = GAZETTEER.find("  rothwell ")
    assert isinstance(place, Place) and place.name == "Rothwell"
    assert 52.3 < place.latitude < 52.5


def test_postcode_districts_and_full_postcodes():
    assert GAZETTEER.find("nn14").kind == "district"
    assert GAZETTEER.find("NN14 6AB").kind == "postcode"
    assert GAZETTEER.find("nn146ab").kind == "postcode"
    fallback = GAZETTEER.find("NN14 9ZZ")
    assert fallback.kind == "district" and "NN14" in fallback.name


def test_invalid_postcodes_are_said_to_be_invalid():
    for text in ["NN99", "ZZ1 1ZZ"]:
        result = GAZETTEER.find(text)
        assert isinstance(result, PlaceNotFound) and result.reason == "invalid_postcode"


def test_misspelt_places_get_suggestions():
    result = GAZETTEER.find("Rothwel")
    assert isinstance(result, PlaceNotFound)
    assert "Rothwell" in result.suggestions


def test_coordinates_from_use_my_location():
    place = GAZETTEER.find("52.4224,-0.8004")
    assert place.kind == "coordinates" and place.longitude == -0.8004


def test_postcodes_are_normalised():
    assert normalise_postcode(" nn16  8ab") == "NN16 8AB"
    assert normalise_postcode("NN16") is None


@given(st.text(max_size=60))
def test_any_text_gives_a_place_or_a_reason(text):
    assert isinstance(GAZETTEER.find(text), Place | PlaceNotFound)
