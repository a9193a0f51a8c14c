{# Every non-null code has its English label (the Chinese label comes from the same seed row). #}
{% test labels_present(model, pairs) %}
{% for code, label in pairs %}
{% if not loop.first %}union all{% endif %}
select '{{ code }}' as code_column, {{ code }}::varchar as code from {{ model }}
where {{ code }} is not null and {{ label }} is null
{% endfor %}
{% endtest %}
