"""The catalogue follows its sources, and the index follows the catalogue.

- A village letter type or a complaint category saved or deleted: its
  generated entry follows (balai.hub.sync).
- A service saved, its themes changed, its agency or a theme renamed: it is
  indexed again; a deleted service's document goes with it (CASCADE, and on
  SQLite the FTS5 triggers).
- A synonym saved or deleted: the cached synonym table is dropped and its
  words join the vocabulary.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from balai.agencies.models import Agency
from balai.complaints.models import Category
from balai.hub import index, search, sync
from balai.hub.models import Service, Synonym, Theme
from balai.letters.models import LetterType


@receiver(post_save, sender=Service, dispatch_uid="hub-index-service")
def _service_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_service(instance)


@receiver(m2m_changed, sender=Service.themes.through, dispatch_uid="hub-index-themes")
def _themes_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Service):
        index.index_service(instance)


@receiver(post_save, sender=Agency, dispatch_uid="hub-index-agency")
def _agency_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_services(Service.objects.filter(agency=instance))


@receiver(post_save, sender=Theme, dispatch_uid="hub-index-theme")
def _theme_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_services(Service.objects.filter(themes=instance))


@receiver(post_save, sender=Synonym, dispatch_uid="hub-synonym-saved")
@receiver(post_delete, sender=Synonym, dispatch_uid="hub-synonym-deleted")
def _synonyms_changed(sender, instance, **kwargs):
    search.forget_synonyms()
    index.add_words(search.surface_words(instance.phrase))


@receiver(post_save, sender=LetterType, dispatch_uid="hub-letter-type-saved")
def _letter_type_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync.sync_letter_type(instance)


@receiver(post_save, sender=Category, dispatch_uid="hub-category-saved")
def _category_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync.sync_category(instance)


@receiver(post_delete, sender=LetterType, dispatch_uid="hub-letter-type-deleted")
@receiver(post_delete, sender=Category, dispatch_uid="hub-category-deleted")
def _source_deleted(sender, instance, **kwargs):
    sync.forget_source(instance)
