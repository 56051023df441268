import type { ReportInput } from '../../src/report/types.js';

// A report input with every feature and plenty to escape, shared by the report tests.
export const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200"><defs><clipPath id="clip1"><rect width="10" height="10"/></clipPath></defs><g clip-path="url(#clip1)"><text>σ²</text></g></svg>';

export function input(): ReportInput {
  return {
    title: 'Week <1> & "friends"',
    subtitle: 'Bayesian models',
    generatedAt: new Date('2026-11-26T18:00:00Z'),
    sections: [
      {
        id: '1.4',
        title: 'Predictive variance',
        question: 'Where is σ² minimal? <script>alert(1)</script>',
        figures: [
          { caption: 'Fit with bands <b>bold?</b>', svg: SVG, path: 'figures/fit 1.4.png' },
          { caption: 'Same again', svg: SVG },
        ],
        tables: [
          {
            caption: 'Summary | pipes',
            columns: ['quantity', 'value'],
            rows: [
              ['argmin σ²', 0.912345],
              ['a|b', null],
              ['n', 12345],
            ],
          },
        ],
        notes: ['minimum at the barycentre <ok>'],
      },
      { id: 'bonus', question: 'Two clouds', figures: [{ caption: 'Two clouds', path: 'figures/bonus.png' }] },
      { id: 'II', title: 'Failure prediction', question: 'PR curves', tables: [] },
    ],
    provenance: { commit: 'abc123', config: 'sha256:<x>' },
  };
}
