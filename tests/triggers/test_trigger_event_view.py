import copy
import json

import pytest

from jupyter_actions.triggers import EventList, EventView, ReadOnlyEventError, get_trigger


@pytest.fixture
def data():
    return get_trigger("post-login").sample_payload()


def test_attribute_and_item_access(data):
    event = EventView(data)
    assert event.user.email == "j+smith@example.com"
    assert event["user"]["email"] == "j+smith@example.com"
    assert isinstance(event.user, EventView)
    assert event.user.identities[0].provider == "auth0"
    assert event.request.geoip.latitude == 47.61793


def test_absent_optional_fields_read_as_none(data):
    event = EventView(data)
    assert event.user.app_metadata.plan is None
    assert event.nothing_here is None
    with pytest.raises(KeyError):
        event["nothing_here"]
    assert event.get("nothing_here", "x") == "x"
    assert event.user.get("email") == "j+smith@example.com"


def test_mapping_protocol(data):
    event = EventView(data)
    assert "user" in event and "nope" not in event
    assert len(event) == len(data)
    assert list(event) == list(data)
    assert dict(event.tenant) == {"id": "dev-tenant"}
    assert event.tenant == {"id": "dev-tenant"}
    assert [k for k, _ in event.connection.items()] == list(data["connection"])


def test_lists_are_read_only_views(data):
    roles = EventView(data).transaction.ui_locales
    assert isinstance(roles, EventList)
    assert roles == ["en"] and len(roles) == 1 and roles[0] == "en" and roles[-1] == "en"
    assert list(EventView(data).user.identities[0:1])[0].provider == "auth0"
    with pytest.raises(ReadOnlyEventError):
        roles.append("fr")
    with pytest.raises(ReadOnlyEventError):
        roles[0] = "fr"
    assert data["transaction"]["ui_locales"] == ["en"]


def test_to_dict_is_a_deep_copy(data):
    event = EventView(data)
    copied = event.user.to_dict()
    copied["app_metadata"]["plan"] = "gold"
    assert data["user"]["app_metadata"] == {}
    assert event.to_dict() == data
    assert event.user.identities.to_list() == data["user"]["identities"]


def test_view_is_live(data):
    event = EventView(data)
    user = event.user
    data["user"]["app_metadata"]["plan"] = "gold"
    data["transaction"]["metadata"]["step"] = 2
    assert user.app_metadata.plan == "gold"
    assert event.transaction.metadata["step"] == 2


@pytest.mark.parametrize(
    "write, message",
    [
        (
            lambda e: setattr(e.user, "app_metadata", {}),
            "event.user.app_metadata is read-only: use api.user.set_app_metadata(key, value)",
        ),
        (
            lambda e: e.user.app_metadata.__setitem__("plan", "gold"),
            "event.user.app_metadata.plan is read-only: use api.user.set_app_metadata(key, value)",
        ),
        (
            lambda e: e.user.user_metadata.update(color="red"),
            "event.user.user_metadata is read-only: use api.user.set_user_metadata(key, value)",
        ),
        (
            lambda e: e.transaction.metadata.__setitem__("my-key", 1),
            'event.transaction.metadata["my-key"] is read-only: use api.transaction.set_metadata(key, value)',
        ),
        (
            lambda e: delattr(e.session, "metadata"),
            "event.session.metadata is read-only: use api.session.set_metadata(key, value)",
        ),
        (
            lambda e: setattr(e.refresh_token.metadata, "foo", "x"),
            "event.refresh_token.metadata.foo is read-only: use api.refresh_token.set_metadata(key, value)",
        ),
        (
            lambda e: e.session.cookie.__setitem__("mode", "persistent"),
            "event.session.cookie.mode is read-only: use api.session.set_cookie_mode(mode)",
        ),
        (
            lambda e: e.user.__delitem__("email"),
            "event.user.email is read-only: the event describes the transaction; use the api object to change the outcome",
        ),
        (
            lambda e: setattr(e, "secrets", {}),
            "event.secrets is read-only: it comes from the action's secrets, set outside its code (never by the action)",
        ),
    ],
)
def test_writes_are_refused_with_the_api_to_use(data, write, message):
    before = copy.deepcopy(data)
    with pytest.raises(ReadOnlyEventError) as error:
        write(EventView(data))
    assert str(error.value) == message
    assert isinstance(error.value, TypeError)
    assert data == before


def test_repr_hides_secret_values(data):
    data["secrets"] = {"API_KEY": "s3cr3t"}
    event = EventView(data)
    assert "s3cr3t" not in repr(event)
    assert "s3cr3t" not in repr(event.secrets)
    assert event.secrets.API_KEY == "s3cr3t"


def test_views_serialise_through_to_dict(data):
    event = EventView(data)
    assert json.loads(json.dumps(event.tenant.to_dict())) == {"id": "dev-tenant"}


def test_needs_a_dict():
    with pytest.raises(TypeError):
        EventView([1, 2])
