// What happy-dom lacks for diagram-js to render: SVGTransformList.consolidate, text metrics and
// element geometry. Imported by the component tests only (the browser has all of it).
export function installSvgPolyfills(): void {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  const listProto = Object.getPrototypeOf((g as SVGGElement).transform.baseVal);
  if (!listProto.consolidate) {
    listProto.consolidate = function consolidate(this: SVGTransformList) {
      if (this.numberOfItems === 0) return null;
      let matrix = svg.createSVGMatrix();
      for (let i = 0; i < this.numberOfItems; i++) matrix = matrix.multiply(this.getItem(i).matrix);
      const t = svg.createSVGTransform();
      t.setMatrix(matrix);
      this.clear();
      this.appendItem(t);
      return t;
    };
  }
  const proto = SVGElement.prototype as unknown as Record<string, unknown>;
  proto.getBBox = () => ({ x: 0, y: 0, width: 100, height: 20 });
  proto.getComputedTextLength ??= () => 50;
}
