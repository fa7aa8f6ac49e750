"""DRF permission classes that ask people.permissions.may()."""

from rest_framework import permissions

from people.permissions import may, not_theirs


def allowed(action: str, *, read_action: str | None = None, read_public: bool = False):
    """A permission class: safe methods need `read_action` (or nothing when public), writes need `action`."""

    class Allowed(permissions.BasePermission):
        message = "You do not have permission to do this."

        def has_permission(self, request, view) -> bool:
            if request.method in permissions.SAFE_METHODS:
                if read_public:
                    return True
                return may(request.user, read_action or action)
            return may(request.user, action)

        def has_object_permission(self, request, view, obj) -> bool:
            """A write to one object asks about that object: another partnership's is a 403 naming it."""
            if request.method in permissions.SAFE_METHODS or may(request.user, action, obj):
                return True
            self.message = not_theirs(obj)
            return False

    Allowed.__name__ = f"Allowed_{action}"
    return Allowed
