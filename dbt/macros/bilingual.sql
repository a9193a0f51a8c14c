{# A fact mart with every code beside its Chinese and English label (analytics views). #}
{% macro bilingual_facts(fact_model, value_column) %}
select
    f.document_symbol,
    f.entity_code, e.entity_name_zh, e.entity_name_en, e.entity_type, e.part_code, e.section_code, e.parent_entity_code,
    f.funding_source, fs.funding_source_label_zh as funding_source_zh, fs.funding_source_label_en as funding_source_en,
    f.breakdown, b.breakdown_label_zh as breakdown_zh, b.breakdown_label_en as breakdown_en,
    f.scope_code, sc.scope_label_zh as scope_zh, sc.scope_label_en as scope_en,
    f.line_item_code, f.line_item_label_zh as line_item_zh, f.line_item_label_en as line_item_en,
    {% if fact_model == 'fct_posts' %}f.grade_code, f.component_code,{% endif %}
    f.row_label_printed,
    f.fiscal_year, f.period,
    f.phase, p.phase_label_zh as phase_zh, p.phase_label_en as phase_en, p.fdp_phase,
    f.{{ value_column }},
    f.value_text, f.value_status, f.is_total,
    f.source_table, f.source_line, f.table_index, f.row_index, f.column_header
from {{ ref(fact_model) }} as f
left join {{ ref('dim_entity') }} as e using (entity_code)
left join {{ ref('dim_funding_source') }} as fs using (funding_source)
left join {{ ref('dim_breakdown') }} as b using (breakdown)
left join {{ ref('dim_phase') }} as p using (phase)
left join {{ ref('dim_scope') }} as sc
  on sc.scope_code = f.scope_code and (sc.entity_code is null or sc.entity_code = f.entity_code)
{% endmacro %}

{% macro bilingual_yoy(yoy_model) %}
select
    y.*,
    e.entity_name_zh, e.entity_name_en, e.entity_type, e.part_code, e.section_code, e.parent_entity_code,
    fs.funding_source_label_zh as funding_source_zh, fs.funding_source_label_en as funding_source_en,
    b.breakdown_label_zh as breakdown_zh, b.breakdown_label_en as breakdown_en,
    y.line_item_label_zh as line_item_zh, y.line_item_label_en as line_item_en,
    p.phase_label_zh as phase_zh, p.phase_label_en as phase_en
from {{ ref(yoy_model) }} as y
left join {{ ref('dim_entity') }} as e using (entity_code)
left join {{ ref('dim_funding_source') }} as fs using (funding_source)
left join {{ ref('dim_breakdown') }} as b using (breakdown)
left join {{ ref('dim_phase') }} as p using (phase)
{% endmacro %}

{# The change columns printed beside amounts or counts, with labels, the entity's place in the structure and the
   label of a part, section, entity or mission row (overview tables print those as rows, entity_code null). #}
{% macro bilingual_changes(change_model) %}
select
    c.document_symbol,
    c.entity_code, e.entity_name_zh, e.entity_name_en, e.entity_type, e.part_code, e.section_code,
    c.funding_source, fs.funding_source_label_zh as funding_source_zh, fs.funding_source_label_en as funding_source_en,
    c.breakdown, b.breakdown_label_zh as breakdown_zh, b.breakdown_label_en as breakdown_en,
    c.scope_code, c.line_item_code, c.line_item_label_zh as line_item_zh, c.line_item_label_en as line_item_en,
    c.row_label_printed,
    c.measure, m.measure_label_zh as measure_zh, m.measure_label_en as measure_en,
    c.base_year, c.base_phase, c.fiscal_year, c.period,
    c.value, c.unit, c.value_text, c.value_status, c.is_total,
    c.source_table, c.source_line, c.table_index, c.row_index, c.column_header
from {{ ref(change_model) }} as c
left join {{ ref('dim_entity') }} as e using (entity_code)
left join {{ ref('dim_funding_source') }} as fs using (funding_source)
left join {{ ref('dim_breakdown') }} as b using (breakdown)
left join {{ ref('dim_measure') }} as m using (measure)
{% endmacro %}
