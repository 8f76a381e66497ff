"""Feedback's fixed lists, each with its words in both languages: who a forum is for, where
an item came from, where it stands, the kinds of safeguarding phrase, and the groups that
reach counts people in (ONS 2021 ethnic groups)."""

from flask_babel import lazy_gettext as _l

from engage.vocabulary import Vocabulary, labels


class Audience(Vocabulary):
    YOUTH = "youth"
    ADULTS = "adults"
    MIXED = "mixed"


labels(Audience, {
    Audience.YOUTH: _l("Young people"),
    Audience.ADULTS: _l("Adults"),
    Audience.MIXED: _l("Everyone"),
})  # fmt: skip


class Source(Vocabulary):
    SESSION = "session"
    ONLINE = "online"
    SURVEY = "survey"
    EVENT = "event"


labels(Source, {
    Source.SESSION: _l("Forum or session"),
    Source.ONLINE: _l("Online"),
    Source.SURVEY: _l("Survey"),
    Source.EVENT: _l("Event"),
})  # fmt: skip


class ItemStatus(Vocabulary):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SAFEGUARDING = "safeguarding"  # never published; the safeguarding lead has it


labels(ItemStatus, {
    ItemStatus.PENDING: _l("waiting for moderation"),
    ItemStatus.APPROVED: _l("approved"),
    ItemStatus.REJECTED: _l("rejected"),
    ItemStatus.SAFEGUARDING: _l("with the safeguarding lead"),
})  # fmt: skip


class IndicatorCategory(Vocabulary):
    """What kind of risk a safeguarding phrase may point to."""

    HARM = "harm"
    WEAPONS = "weapons"
    EXPLOITATION = "exploitation"
    ABUSE = "abuse"
    SELF_HARM = "self_harm"


labels(IndicatorCategory, {
    IndicatorCategory.HARM: _l("Harm"),
    IndicatorCategory.WEAPONS: _l("Weapons"),
    IndicatorCategory.EXPLOITATION: _l("Exploitation"),
    IndicatorCategory.ABUSE: _l("Abuse"),
    IndicatorCategory.SELF_HARM: _l("Self-harm"),
})  # fmt: skip


class SaidBy(Vocabulary):
    """Whose words an item is, as far as it is marked: the moderation queue's age filter."""

    YOUNG_PERSON = "young"
    NOT_MARKED = "other"


labels(SaidBy, {
    SaidBy.YOUNG_PERSON: _l("Marked as said by a young person"),
    SaidBy.NOT_MARKED: _l("Not marked as a young person's"),
})  # fmt: skip


class Dimension(Vocabulary):
    """What reach counts people by."""

    AGE = "age"
    GENDER = "gender"
    ETHNICITY = "ethnicity"
    DISABILITY = "disability"
    CARE_EXPERIENCED = "care_experienced"
    AREA = "area"  # the groups are the areas a forum covers


labels(Dimension, {
    Dimension.AGE: _l("Age"),
    Dimension.GENDER: _l("Gender"),
    Dimension.ETHNICITY: _l("Ethnic group (ONS 2021)"),
    Dimension.DISABILITY: _l("Disability"),
    Dimension.CARE_EXPERIENCED: _l("Care experience"),
    Dimension.AREA: _l("Where they live"),
})  # fmt: skip


class AgeGroup(Vocabulary):
    UNDER_16 = "under_16"
    AGE_16_24 = "16_24"
    AGE_25_44 = "25_44"
    AGE_45_64 = "45_64"
    AGE_65_OVER = "65_over"


labels(AgeGroup, {
    AgeGroup.UNDER_16: _l("Under 16"),
    AgeGroup.AGE_16_24: _l("16 to 24"),
    AgeGroup.AGE_25_44: _l("25 to 44"),
    AgeGroup.AGE_45_64: _l("45 to 64"),
    AgeGroup.AGE_65_OVER: _l("65 and over"),
})  # fmt: skip


class Gender(Vocabulary):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


labels(Gender, {
    Gender.FEMALE: _l("Female"),
    Gender.MALE: _l("Male"),
    Gender.OTHER: _l("Describes themselves another way"),
})  # fmt: skip


class EthnicGroup(Vocabulary):
    ASIAN = "asian"
    BLACK = "black"
    MIXED = "mixed"
    WHITE = "white"
    OTHER = "other"


labels(EthnicGroup, {
    EthnicGroup.ASIAN: _l("Asian, Asian British or Asian Welsh"),
    EthnicGroup.BLACK: _l("Black, Black British, Black Welsh, Caribbean or African"),
    EthnicGroup.MIXED: _l("Mixed or Multiple ethnic groups"),
    EthnicGroup.WHITE: _l("White"),
    EthnicGroup.OTHER: _l("Other ethnic group"),
})  # fmt: skip


class DisabilityGroup(Vocabulary):
    DISABLED = "disabled"
    NOT_DISABLED = "not_disabled"


labels(DisabilityGroup, {
    DisabilityGroup.DISABLED: _l("Disabled"),
    DisabilityGroup.NOT_DISABLED: _l("Not disabled"),
})  # fmt: skip


class CareGroup(Vocabulary):
    YES = "yes"
    NO = "no"


labels(CareGroup, {
    CareGroup.YES: _l("Care-experienced"),
    CareGroup.NO: _l("Not care-experienced"),
})  # fmt: skip

# The groups of each dimension but "area", in the order they are shown.
GROUPS: dict[Dimension, type[Vocabulary]] = {
    Dimension.AGE: AgeGroup,
    Dimension.GENDER: Gender,
    Dimension.ETHNICITY: EthnicGroup,
    Dimension.DISABILITY: DisabilityGroup,
    Dimension.CARE_EXPERIENCED: CareGroup,
}
NOT_SAID_LABEL = _l("Did not say")


def group_label(dimension: str, group: str) -> str:
    """A group's words ("Did not say" for those who did not), or the group as stored."""
    vocabulary = GROUPS.get(Dimension(dimension)) if dimension in Dimension.values() else None
    if vocabulary is None:
        return group
    if group not in vocabulary.values():
        return str(NOT_SAID_LABEL) if group == "not_said" else group
    return vocabulary(group).label


class ReachStatus(Vocabulary):
    UNDER = "under"
    OVER = "over"
    IN_LINE = "in_line"
    UNKNOWN = "unknown"


labels(ReachStatus, {
    ReachStatus.UNDER: _l("Under-represented"),
    ReachStatus.OVER: _l("Over-represented"),
    ReachStatus.IN_LINE: _l("In line with residents"),
    ReachStatus.UNKNOWN: _l("No resident figure"),
})  # fmt: skip
