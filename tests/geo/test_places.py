"""Finding places from what people type; unknown places get suggestions, never a crash."""

from hypothesis import given
from hypothesis import strategies as st

from engage.geo.lookup import SEED
from engage.geo.places import Gazetteer, Place, PlaceNotFound, Point, normalise_postcode

GAZETTEER = Gazetteer.from_files(
    SEED / "places.csv",
    SEED / "postcode_districts.csv",
    lambda pc: Point(52.4230, -0.7990, ("E01027144",)) if pc == "NN146AB" else None,
    lambda area: Point(52.4215, -0.8010) if area == "NN14 6" else None,
)


def test_towns_are_found_whatever_the_case():
    place = GAZETTEER.find("  rothwell ")
    assert isinstance(place, Place) and place.name == "Rothwell"
    assert 52.3 < place.latitude < 52.5


def test_postcode_districts_and_full_postcodes():
    assert GAZETTEER.find("nn14").kind == "district"
    assert GAZETTEER.find("NN14").label == "NN14 (Rothwell, Desborough and Thrapston area)"
    assert GAZETTEER.find("NN14 6AB").kind == "postcode"
    assert GAZETTEER.find("nn146ab").kind == "postcode"
    fallback = GAZETTEER.find("NN14 9ZZ")
    assert fallback.kind == "district" and fallback.approximate and fallback.name == "NN14 9ZZ"


def test_invalid_postcodes_are_said_to_be_invalid():
    for text in ["NN99", "ZZ1 1ZZ"]:
        result = GAZETTEER.find(text)
        assert isinstance(result, PlaceNotFound) and result.reason == "invalid_postcode"


def test_misspelt_places_get_suggestions():
    result = GAZETTEER.find("Rothwel")
    assert isinstance(result, PlaceNotFound)
    assert "Rothwell, North Northamptonshire" in result.suggestions


def test_coordinates_from_use_my_location():
    place = GAZETTEER.find("52.4224,-0.8004")
    assert place.kind == "coordinates" and place.longitude == -0.8004


def test_postcodes_are_normalised():
    assert normalise_postcode(" nn16  8ab") == "NN16 8AB"
    assert normalise_postcode("NN16") is None


@given(st.text(max_size=60))
def test_any_text_gives_a_place_or_a_reason(text):
    assert isinstance(GAZETTEER.find(text), Place | PlaceNotFound)


def test_named_places_read_with_their_council_and_suburbs_with_their_town():
    assert GAZETTEER.find("rothwell").label == "Rothwell, North Northamptonshire"
    assert GAZETTEER.find("Kingsthorpe").label == "Kingsthorpe, Northampton"
    assert GAZETTEER.find("Brackley").label == "Brackley, West Northamptonshire"


def test_a_place_and_where_it_is_are_found_as_people_write_them():
    for text in [
        "Rothwell, Kettering",
        "Rothwell, North Northamptonshire",
        "rothwell north northants",
        "Rothwell, Northamptonshire",
        "Rothwell, near Kettering",
        "Kingsthorpe, Northampton",
        "Kings Cliffe, East Northants",
    ]:
        found = GAZETTEER.find(text)
        assert isinstance(found, Place) and found.kind in ("town", "suburb", "village"), text
    assert GAZETTEER.find("Rothwell, Kettering").name == "Rothwell"
    assert GAZETTEER.find("King’s Cliffe").name == "King's Cliffe"


def test_a_place_said_to_be_somewhere_else_is_not_taken_for_ours():
    found = GAZETTEER.find("Rothwell, Leeds")
    assert isinstance(found, PlaceNotFound)
    assert found.suggestions == ["Rothwell, North Northamptonshire"]
    assert isinstance(GAZETTEER.find("Rothwell, West Northamptonshire"), PlaceNotFound)


def test_a_misspelt_place_with_its_district_still_gets_suggestions_that_resolve():
    found = GAZETTEER.find("Rothwel, Kettering")
    assert found.suggestions == ["Rothwell, North Northamptonshire"]
    assert GAZETTEER.find(found.suggestions[0]).name == "Rothwell"


def test_a_full_postcode_is_placed_at_the_postcode_and_named_by_the_nearest_town():
    found = GAZETTEER.find("nn14 6ab")
    assert (found.kind, found.latitude, found.longitude) == ("postcode", 52.4230, -0.7990)
    assert found.area_codes == ("E01027144",)
    assert found.label == "NN14 6AB, Rothwell, North Northamptonshire"
    assert not found.approximate


def test_a_sector_is_placed_at_its_postcodes_centre():
    found = GAZETTEER.find("NN14 6")
    assert (found.kind, found.latitude) == ("sector", 52.4215)
    assert found.label == "NN14 6, Rothwell, North Northamptonshire"
    newer = GAZETTEER.find("NN14 6ZZ")
    assert (newer.kind, newer.approximate, newer.stands_for) == ("sector", True, "NN14 6")


def test_without_postcode_data_a_sector_stands_for_its_district_and_says_so():
    found = GAZETTEER.find("NN16 8")
    assert (found.kind, found.approximate, found.stands_for) == ("district", True, "NN16")
    assert found.label == "NN16 8 (Kettering north and town centre)"


def test_coordinates_are_named_by_the_nearest_town_and_far_ones_by_nothing():
    assert GAZETTEER.find("52.4224,-0.8004").near.name == "Rothwell"
    assert GAZETTEER.find("51.5072,-0.1276").near is None
