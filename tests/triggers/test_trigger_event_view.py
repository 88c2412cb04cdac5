import json

import pytest

from jupyter_actions.triggers import ApiSession, EventList, EventView, get_trigger


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


def test_lists_are_views(data):
    roles = EventView(data).transaction.ui_locales
    assert isinstance(roles, EventList)
    assert roles == ["en"] and len(roles) == 1 and roles[0] == "en" and roles[-1] == "en"
    assert list(EventView(data).user.identities[0:1])[0].provider == "auth0"


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
    "write, path, expected",
    [
        (lambda e: setattr(e.user, "email", "x@example.com"), ("user", "email"), "x@example.com"),
        (lambda e: e.user.app_metadata.__setitem__("plan", "gold"), ("user", "app_metadata", "plan"), "gold"),
        (lambda e: setattr(e.transaction.metadata, "my-key", 1), ("transaction", "metadata", "my-key"), 1),
        (lambda e: e.user.identities[0].__setitem__("provider", "x"), ("user", "identities", 0, "provider"), "x"),
        (lambda e: e.transaction.ui_locales.append("fr"), ("transaction", "ui_locales", 1), "fr"),
        (lambda e: e.transaction.ui_locales.__setitem__(0, "de"), ("transaction", "ui_locales", 0), "de"),
        (lambda e: setattr(e, "secrets", {"K": "v"}), ("secrets", "K"), "v"),
        (lambda e: setattr(e, "copied", e.user.app_metadata), ("copied",), {}),
    ],
)
def test_writes_go_into_the_viewed_data_as_on_a_javascript_object(data, write, path, expected):
    """Auth0's event is a plain JavaScript object that an action may assign to."""
    data["secrets"] = {}
    write(EventView(data))
    value = data
    for key in path:
        value = value[key]
    assert value == expected
    assert type(value) in (str, int, dict)  # a view stores the data it shows, never itself


def test_deletions_and_list_changes(data):
    event = EventView(data)
    del event.user.email
    del event.not_there  # JavaScript's delete of an absent property is no error
    event.transaction.ui_locales += ["fr", "de"]
    event.transaction.ui_locales.sort()
    event.transaction.ui_locales.remove("en")
    assert "email" not in data["user"]
    assert data["transaction"]["ui_locales"] == ["de", "fr"]
    with pytest.raises(KeyError):
        del event["not_there"]
    with pytest.raises(AttributeError):
        event.transaction.ui_locales.anything = 1


def test_the_writer_runs_before_every_write_and_never_on_a_read(data):
    calls = []
    event = EventView(data, "event", lambda: calls.append(1))
    assert event.user.identities[0].provider == "auth0" and calls == []
    event.user.identities[0].provider = "x"
    event.user.identities.append({})
    del event.user.email
    assert len(calls) == 3


def test_a_session_keeps_the_apis_copy_from_the_actions_first_write(data):
    session = ApiSession(event=data)
    event = session.event_view()
    assert session.event is data and session.action_event is None
    event.transaction.protocol = "oauth2-authorization-code"
    assert session.action_event is data and session.event is not data
    assert data["transaction"]["protocol"] == "oauth2-authorization-code"
    assert session.event["transaction"]["protocol"] == "oidc-basic-profile"
    copy_made = session.event
    event.user.email = "again@example.com"  # one copy per run
    assert session.event is copy_made and session.event["user"]["email"] == "j+smith@example.com"


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
