using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Faults;

/// <summary>
/// The assets a fault can change, walked over the topology: the root; every transitive caller (slow or failed
/// responses travel to callers); when a required step fails, whatever the calling operation would have done after
/// it (later calls, tables, topics and their consumers); and datasets derived by lineage jobs from tables that are
/// written less. Used only to recognise a fault's findings, so erring on the wide side is harmless.
/// </summary>
internal sealed class BlastRadius(ShopTopology topology, string environment)
{
    private readonly List<string> _urns = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<string> OfService(string service, bool failsFast)
    {
        Reset();
        Add(ShopTopology.ServiceUrn(environment, service));
        if (failsFast)
        {
            foreach (var op in topology.Service(service).Operations)
            {
                AddDownstream(op, 0);
            }
        }

        AddCallers(service);
        return [.. _urns];
    }

    public IReadOnlyList<string> OfTable(string database, string table)
    {
        Reset();
        Add(ShopTopology.TableUrn(database, table));
        foreach (var (user, op, step) in topology.UsersOf(database, table).ToList())
        {
            Add(ShopTopology.ServiceUrn(environment, user.Name));
            AddDownstream(op, step + 1);
            AddCallers(user.Name);
        }

        return [.. _urns];
    }

    public IReadOnlyList<string> OfStoppedJob(JobSpec job)
    {
        Reset();
        Add(topology.JobUrn(job.Name));
        foreach (var output in job.Outputs)
        {
            Add(ShopTopology.DatasetUrn(output));
        }

        return [.. _urns];
    }

    public IReadOnlyList<string> OfSchemaChange(LineageDatasetSpec dataset)
    {
        Reset();
        Add(ShopTopology.DatasetUrn(dataset));
        AddReaders(dataset);
        return [.. _urns];
    }

    private void Reset()
    {
        _urns.Clear();
        _seen.Clear();
    }

    private bool Add(string urn)
    {
        if (!_seen.Add(urn))
        {
            return false;
        }

        _urns.Add(urn);
        return true;
    }

    private void AddCallers(string service)
    {
        foreach (var (caller, op, step) in topology.CallersOf(service).ToList())
        {
            var required = ((CallStep)op.Steps[step]).Required;
            var isNew = Add(ShopTopology.ServiceUrn(environment, caller.Name));
            if (required)
            {
                AddDownstream(op, step + 1);
            }

            if (isNew)
            {
                AddCallers(caller.Name);
            }
        }
    }

    /// <summary>Everything <paramref name="op"/> does from step <paramref name="from"/> on, and everything those steps reach.</summary>
    private void AddDownstream(OperationSpec op, int from)
    {
        for (var i = from; i < op.Steps.Count; i++)
        {
            switch (op.Steps[i])
            {
                case CallStep c:
                    if (Add(ShopTopology.ServiceUrn(environment, c.Service)))
                    {
                        AddDownstream(topology.Service(c.Service).Operation(c.Operation), 0);
                    }

                    break;
                case DbStep d:
                    var table = ShopTopology.TableUrn(d.Database, d.Table);
                    if (Add(table) && d.Operation != "SELECT")
                    {
                        AddLineageFrom(table);
                    }

                    break;
                case PublishStep p:
                    Add(ShopTopology.TopicUrn(p.Topic));
                    foreach (var consumer in topology.Topic(p.Topic).Consumers)
                    {
                        if (Add(ShopTopology.ServiceUrn(environment, consumer.Service)))
                        {
                            AddDownstream(topology.Service(consumer.Service).Operation(consumer.Operation), 0);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Datasets derived from <paramref name="datasetUrn"/> through lineage jobs (their row counts follow it).</summary>
    private void AddLineageFrom(string datasetUrn)
    {
        foreach (var job in topology.Jobs)
        {
            if (job.Inputs.Any(i => ShopTopology.DatasetUrn(i) == datasetUrn))
            {
                foreach (var output in job.Outputs)
                {
                    if (Add(ShopTopology.DatasetUrn(output)))
                    {
                        AddLineageFrom(ShopTopology.DatasetUrn(output));
                    }
                }
            }
        }
    }

    /// <summary>Jobs reading <paramref name="dataset"/> (they fail on a broken schema), their outputs, and onwards.</summary>
    private void AddReaders(LineageDatasetSpec dataset)
    {
        foreach (var job in topology.Jobs)
        {
            if (job.Inputs.Contains(dataset) && Add(topology.JobUrn(job.Name)))
            {
                foreach (var output in job.Outputs)
                {
                    Add(ShopTopology.DatasetUrn(output));
                    AddReaders(output);
                }
            }
        }
    }
}
