{# Tables a model no longer builds under this name (moved to ops, issue 13): dropped so a warehouse built before
   the move does not keep a stale copy. Runs at the start of every dbt invocation (dbt_project.yml). #}
{% macro drop_moved_relations() %}
    {% if execute %}
        {% for schema, name in [('marts', 'rpt_change_reconciliation'), ('marts', 'ingest_log'), ('marts', 'parse_findings'),
                                ('marts', 'dq_findings'), ('marts', 'rpt_reconciliation')] %}
            {% set relation = adapter.get_relation(database=target.database, schema=schema, identifier=name) %}
            {% if relation %}{% do adapter.drop_relation(relation) %}{% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
