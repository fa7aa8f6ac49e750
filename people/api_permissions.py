"""DRF permission classes that ask people.permissions.may()."""

from rest_framework import permissions

from people.permissions import may


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

    Allowed.__name__ = f"Allowed_{action}"
    return Allowed
