-- What a table covers: the whole entity or section, a component, or an entity's subprogramme.
select null as entity_code, scope_code, label_zh as scope_label_zh, label_en as scope_label_en from {{ ref('scopes') }}
union all
select null, component_code, label_zh, label_en from {{ ref('components') }}
union all
select entity_code, subprogramme_code, label_zh, label_en from {{ ref('subprogrammes') }}
